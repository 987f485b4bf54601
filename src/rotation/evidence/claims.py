"""The commentary's claims, listed once.

Every claim the commentary ("Will Small Caps Break Out in a Blow-Off Move Into the New
Year?", ``shared/seed-article.txt``) makes about small caps is a :class:`Claim`: an id, a
short quote, the notebook and test that decide it, the sign of the effect that would support
it, and whether it names a mechanism (a channel such as "borrowing costs") that an
association between returns cannot test by itself. Claims that free data cannot test say
so and why.

Verdicts (:mod:`rotation.evidence.rubric`) refer to claims by id; the run page's scorecard and the
synthesis notebook list the claims in this order.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from rotation.errors import ParameterError

__all__ = ["Claim", "CLAIMS", "get", "ids", "for_notebook"]


@dataclass(frozen=True)
class Claim:
    """One claim of the commentary, as a testable hypothesis.

    Attributes
    ----------
    id : str
        Short stable identifier (``"weaker_dollar"``), used as the verdict's key.
    topic : str
        The commentary's section (relative strength, dollar, rates and the Fed, ...).
    quote : str
        The commentary's words, shortened.
    hypothesis : str
        What would be true in the data if the claim held, stated so it can fail.
    notebook : str or None
        The notebook that decides it (stem, e.g. ``"02_dollar_sensitivity"``); None when not testable.
    test : str
        The test that decides it, in one line.
    expected_sign : int
        +1 when a positive headline effect supports the claim, -1 when a negative one does.
    names_mechanism : bool
        The claim names a channel (borrowing costs, exporters, tax-loss selling...). Evidence
        that is only an association between returns and a variable cannot confirm the channel,
        so the rubric caps such verdicts at "partly supported".
    general : bool
        The claim is about small caps in general (not one index or one ETF): a "supported"
        verdict then needs the same sign under at least two small/large proxies.
    testable : bool
        False when free data cannot test it; ``why_not`` says why and what would be needed.
    why_not : str
    """

    id: str
    topic: str
    quote: str
    hypothesis: str
    notebook: str | None
    test: str
    expected_sign: int = 1
    names_mechanism: bool = False
    general: bool = True
    testable: bool = True
    why_not: str = ""

    def to_record(self) -> dict[str, Any]:
        """Plain dict for results files."""
        return asdict(self)


_RS, _USD, _RATES, _SEASON = "relative strength", "the dollar", "rates, the Fed and credit", "seasonality"
_ECON, _VAL, _SECT, _SYN = "the economy", "valuation and quality", "sector rotation", "the signals to watch"

CLAIMS_LIST: tuple[Claim, ...] = (
    Claim("underwhelming", _RS,
          "Small caps have been underwhelming for much of the past year compared to large caps",
          "Recent small-minus-large returns sit in the weak part of their own history at every horizon "
          "(1, 3 and 5 years).",
          "01_relative_strength", "latest rolling relative returns against their history, across horizons",
          expected_sign=-1),
    Claim("breakout_follow_through", _RS,
          "Small caps could stage a breakout (the set-up for a small-cap breakout)",
          "A relative-strength breakout is followed by further small-cap outperformance beyond the "
          "unconditional average.",
          "01_relative_strength", "forward relative returns after breakout episodes minus the unconditional mean"),
    Claim("false_breakout", _RS,
          "Bear case for a false breakout: a failure to sustain momentum could lead to a retracement",
          "Relative-strength breakouts fail (fall back below the level they broke) more often than the same "
          "rule fails on paths with no predictability.",
          "01_relative_strength", "observed false-breakout rate against a block-bootstrap null distribution"),
    Claim("blowoff", _RS,
          "Small caps could break out in a dramatic blow-off move",
          "Extreme short-term small-cap rallies near a prior high are followed by further gains rather than "
          "by a give-back.",
          "01_relative_strength", "forward returns after near-high blow-off rallies against ordinary breakouts"),
    Claim("resistance_2000", _RS,
          "The Russell 2000 has struggled to break through key technical levels, particularly 2,000",
          "Approaches to round thousands fail more often than approaches to non-round (placebo) levels.",
          "01_relative_strength", "break/fail rates at round levels against placebo levels, clustered approaches",
          expected_sign=1, general=False),
    Claim("weaker_dollar", _USD,
          "A softer U.S. dollar has provided a tailwind for smaller exporters",
          "Small-minus-large returns are higher when the dollar falls (negative dollar beta).",
          "02_dollar_sensitivity", "HAC beta of relative returns on dollar changes, by sub-period and proxy",
          expected_sign=-1, names_mechanism=True),
    Claim("rates_borrowing_costs", _RATES,
          "Small caps are more sensitive to borrowing costs; stabilising rates may benefit them",
          "Small-minus-large returns fall when yields rise (negative yield beta), through the borrowing-cost "
          "channel.",
          "03_interest_rates", "HAC beta of relative returns on Treasury-yield changes, with controls",
          expected_sign=-1, names_mechanism=True),
    Claim("fed_dovish", _RATES,
          "Any dovish signals from the Federal Reserve could boost risk assets, including small caps",
          "Small caps outperform after the Fed turns dovish (first cut of an easing cycle).",
          "03_interest_rates", "relative returns in event windows after Fed first cuts, bootstrap over cycles",
          names_mechanism=False),
    Claim("liquidity", _RATES,
          "Small caps are more vulnerable to tightening financial conditions and credit stress",
          "Small-minus-large returns fall when credit spreads widen or financial conditions tighten.",
          "03_interest_rates", "HAC beta on credit-spread changes; next-month returns by financial-conditions "
          "regime (real-time values)",
          expected_sign=-1, names_mechanism=True),
    Claim("santa_claus", _SEASON,
          "The period from November through January (the Santa Claus rally) has been favourable for small caps",
          "Small-minus-large returns in the November-January window (and Hirsch's Santa Claus window) exceed "
          "those of other windows of the same length.",
          "04_seasonality", "window returns against all other same-length windows, bootstrap over years"),
    Claim("january_effect", _SEASON,
          "January is traditionally a strong month for small caps (the January effect)",
          "Small-minus-large returns are higher in January than in other months, in recent eras too.",
          "04_seasonality", "January vs other months, month-dummy HAC regression, by era (the tax-loss "
          "channel only indirectly: January after a lagging year)"),
    Claim("late_cycle", _ECON,
          "Small caps have often shown strong performance in late-cycle environments",
          "Small-minus-large returns are higher in the late phase of expansions than in other phases.",
          "05_economy", "relative returns by business-cycle phase, real-time late-cycle definition"),
    Claim("economic_resilience", _ECON,
          "With a robust labour market and improving confidence, small caps are well positioned",
          "Strong labour-market and confidence readings (known at the time) are followed by small-cap "
          "outperformance.",
          "05_economy", "forward relative returns by real-time macro signal state, out-of-sample R2"),
    Claim("recession_risk", _ECON,
          "Small caps, less diversified and more leveraged, face disproportionate challenges if growth slows",
          "Small caps underperform in recessions by more than their market beta implies.",
          "05_economy", "relative returns in recessions, with a market-beta control",
          expected_sign=-1, names_mechanism=True),
    Claim("valuation_discount", _VAL,
          "Small caps trade at historically low valuations relative to large caps, attractive for bargain hunters",
          "The small-vs-big valuation spread is historically wide and a wide spread predicts small-cap "
          "outperformance.",
          "06_valuation_quality", "spread percentile; predictive regression of 1-5 year relative returns"),
    Claim("earnings_outlook", _VAL,
          "An improved earnings outlook supports small caps",
          "A rise in small-minus-big profitability precedes relative outperformance (proxy only).",
          "06_valuation_quality", "operating-profitability spread as an earnings proxy",
          names_mechanism=True),
    Claim("quality", _VAL,
          "Focus on quality companies with strong fundamentals",
          "Within small caps, profitable (quality) stocks beat the rest; the size premium survives quality "
          "controls.",
          "06_valuation_quality", "size premium with RMW/CMA controls; IJR (profitability screen) vs IWM"),
    Claim("sector_rotation", _SECT,
          "A rotation out of large-cap tech into undervalued areas such as small caps could spark a broader rally",
          "Small-cap relative strength rises after tech's relative strength peaks and as breadth broadens.",
          "07_sector_rotation", "small-cap returns after tech relative-strength peaks; breadth as a predictor"),
    Claim("breakout_new_year", _SYN,
          "Will small caps break out in a blow-off move into the new year?",
          "In past states like today's, small caps beat large caps over the following months more often "
          "than unconditionally.",
          "08_signals", "signal board and an out-of-sample composite"),
    Claim("short_squeeze", _RS,
          "Many small caps have high short interest, which could trigger a short squeeze",
          "High short interest is followed by small-cap rallies.",
          None, "", testable=False,
          why_not="Short interest by index constituent is not free (exchange and vendor data); FRED and the "
                  "Ken French library have no short-interest series. Needed: a history of Russell 2000 short "
                  "interest (days to cover or shares short / float)."),
    Claim("earnings_reports", _VAL,
          "Strong earnings reports from small caps could signal broader strength",
          "Positive small-cap earnings surprises are followed by relative outperformance.",
          None, "", names_mechanism=True, testable=False,
          why_not="No free history of small-cap earnings or estimate revisions; operating profitability by size "
                  "(notebook 06) is the nearest free proxy. Needed: an index EPS or revisions series."),
)

CLAIMS: dict[str, Claim] = {c.id: c for c in CLAIMS_LIST}


def ids() -> list[str]:
    """Claim ids in the commentary's order."""
    return list(CLAIMS)


def get(claim_id: str) -> Claim:
    """The claim ``claim_id``; raises ParameterError listing the valid ids."""
    try:
        return CLAIMS[claim_id]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(str(claim_id), list(CLAIMS), n=3, cutoff=0.5)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise ParameterError(
            f"unknown claim {claim_id!r}.{hint} Valid claims: {', '.join(CLAIMS)} (rotation.evidence.claims.CLAIMS)."
        ) from None


def for_notebook(stem: str) -> list[Claim]:
    """The claims a notebook decides."""
    return [c for c in CLAIMS_LIST if c.notebook == stem]
