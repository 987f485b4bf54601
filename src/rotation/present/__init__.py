"""Presentation: number and table formats, charts, findings text, the reader's reports and the run pages."""
