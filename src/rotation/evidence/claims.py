"""The commentary's claims, listed once.

Every claim the commentary ("Will Small Caps Break Out in a Blow-Off Move Into the New
Year?", ``shared/seed-article.txt``) makes about small caps is a :class:`Claim`: an id, a
short quote, the notebook and test that decide it, the sign of the effect that would support
it, and whether it names a mechanism (a channel such as "borrowing costs") that an
association between returns cannot test by itself. Claims that free data cannot test say
so and why.

Each testable claim carries its :class:`Decision`, declared here before any result is seen:
the horizon that decides it, the fewest independent observations a verdict needs, the
thresholds of a state, what kind of evidence the test is, which robustness checks it must
have and whether several tests are adjusted together. Notebooks never choose these beside
their results; the rubric (:func:`rotation.evidence.rubric.decide`) reads them from here and
refuses evidence that lacks a declared check or brings an undeclared one.

Verdicts (:mod:`rotation.evidence.rubric`) refer to claims by id; the run page's scorecard and the
synthesis notebook list the claims in this order.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from rotation.errors import ParameterError

__all__ = ["Claim", "Decision", "ForecastEvent", "BREAKOUT_EVENT",
           "CHECK_KINDS", "CLAIMS", "get", "ids", "for_notebook", "second_proxy",
           "COMMENTARY_DATE", "COMMENTARY_EVIDENCE", "state_claims"]

#: The date the commentary is read as written at: its claims about a *state* (small caps underwhelming,
#: trading at a discount, rates stabilising...) are judged "then", with only the data published by this
#: date, as well as "now". The article has no date line; the evidence for the date is
#: :data:`COMMENTARY_EVIDENCE`: written after the Fed's last hike (July 2023) had been followed by pauses,
#: after a rebound of "recent months" (November 2023), before 2024 began and with the new year
#: approaching. The last day of November 2023 is the earliest date all of it fits.
COMMENTARY_DATE: str = "2023-11-30"

#: The article's words that date it (quote, what it implies).
COMMENTARY_EVIDENCE: tuple[tuple[str, str], ...] = (
    ("As the new year approaches", "written in the last weeks of a year"),
    ("the risk of a recession in 2024 remains elevated", "2024 is still ahead: the year is 2023"),
    ("Whether 2024 marks the year of small-cap resurgence", "2024 is still ahead"),
    ("the pace of rate hikes has slowed", "after the hikes of 2022-23 slowed (last hike July 2023, pauses since)"),
    ("recent months have shown signs of renewed strength", "after the small-cap rebound of November 2023"),
    ("the period from November through January ... has been favorable", "written as that window opens"),
)


#: The kinds of robustness check a decision can declare (see :class:`rotation.evidence.rubric.Check`).
CHECK_KINDS: tuple[str, ...] = ("subperiod", "proxy", "control", "horizon", "other")


@dataclass(frozen=True)
class Decision:
    """How a claim is decided, declared with the claim before the results are seen.

    Attributes
    ----------
    horizon : int, optional
        The horizon whose effect decides the claim (in ``horizon_unit``); other horizons are checks.
        None when the test has no horizon (a same-month mean, a rate, a state).
    horizon_unit : str
        ``"months"``, ``"weeks"`` or ``"trading days"``.
    min_n : int
        Fewer independent observations (episodes, clusters, months) than this make the verdict
        inconclusive (rule R2).
    thresholds : (float, float), optional
        For a state judged against thresholds instead of an interval (a percentile): ``(low, high)``.
    evidence : {"association", "mechanism", "descriptive"}
        What the test is: ``"mechanism"`` only when it isolates the channel the claim names.
    checks : tuple of str
        The kinds of robustness check the evidence must bring (each of :data:`CHECK_KINDS`);
        evidence without one of them, or with a kind not declared, is refused.
    robustness_proxy : str, optional
        The second small/large proxy the claim is checked on (None: the claim names one index).
    adjust : str, optional
        ``"holm"`` when several tests decide the claim together (their p-values are adjusted).
    alpha : float
        Significance level.
    conservative : tuple of str
        Standard errors computed side by side for each regression effect (e.g. ``("HAC", "Hodrick
        1B")``): the verdict uses, for each, the one with the larger standard error. Empty: the
        test's own errors.
    revision : str, optional
        ``"real-time check"`` for a claim that rests on a macro signal with real-time vintages: the verdict is
        decided with its macro signals on the real-time basis where vintages cover the month (release-timed
        latest values elsewhere, labelled); beside it the same test on revised data (release-timed, latest
        vintage) over the same sample. The verdict is *revision-robust* when that gives the verdict's status with
        the same sign; both bases are also compared on the vintage-covered months alone
        (:func:`rotation.evidence.rubric.revision_check`). None: no such check.
    skill : str, optional
        ``"out-of-sample Brier skill"`` for a claim decided by a forecast (:data:`BREAKOUT_EVENT`): the evidence
        brings the forecast's out-of-sample Brier skill against the base rate with its interval, and the headline
        counts only when that interval lies above zero (otherwise the signals add no skill, the answer is the base
        rate and the claim is not supported, rule R5). None: no such gate.
    international : bool
        The claim is about small caps in general and the Ken French international files can test it: the evidence
        brings the same test on each region's size spread (SMB) as an :class:`~rotation.evidence.effects.Abroad`
        check. It counts the regions outside the United States (Europe, Japan, Asia Pacific ex Japan, Emerging;
        Developed ex US for the daily files); Developed and North America hold the US and are shown, not counted.
        The check *holds* when at least half of the counted regions have the headline's sign; when it does not,
        "supported" becomes "partly supported" and "contradicted" becomes "not supported" (rules R6 and R4), as
        any robustness check does. It never raises a verdict.
    """

    horizon: int | None = None
    horizon_unit: str = "months"
    min_n: int = 10
    thresholds: tuple[float, float] | None = None
    evidence: Literal["association", "mechanism", "descriptive"] = "association"
    checks: tuple[str, ...] = ()
    robustness_proxy: str | None = "iwm_spy"
    adjust: str | None = None
    alpha: float = 0.05
    conservative: tuple[str, ...] = ()
    revision: str | None = None
    skill: str | None = None
    international: bool = False

    def __post_init__(self) -> None:
        bad = [k for k in self.checks if k not in CHECK_KINDS]
        if bad:
            raise ParameterError(f"Decision.checks must be among {', '.join(CHECK_KINDS)}; got {bad}")
        bad = [k for k in self.conservative if k not in ("HAC", "Hodrick 1B")]
        if bad:
            raise ParameterError(f"Decision.conservative must name HAC or Hodrick 1B errors; got {bad}")
        if self.revision not in (None, "real-time check"):
            raise ParameterError(f"Decision.revision must be None or 'real-time check'; got {self.revision!r}")
        if self.skill not in (None, "out-of-sample Brier skill"):
            raise ParameterError(f"Decision.skill must be None or 'out-of-sample Brier skill'; got {self.skill!r}")
        if self.evidence not in ("association", "mechanism", "descriptive"):
            raise ParameterError(f"Decision.evidence must be association, mechanism or descriptive; "
                                 f"got {self.evidence!r}")

    def horizon_text(self) -> str:
        """``"6 months"``, or "" without a horizon."""
        return "" if self.horizon is None else f"{self.horizon} {self.horizon_unit}"

    def to_record(self) -> dict[str, Any]:
        d = asdict(self)
        d["checks"] = list(self.checks)
        d["conservative"] = list(self.conservative)
        d["thresholds"] = list(self.thresholds) if self.thresholds is not None else None
        return d


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
    decision : Decision
        How the claim is decided (declared here, before the results).
    dated : str
        Empty for a *pattern* claim (a regularity of history, undated: the January effect, a dollar
        beta). For a *state* claim (about how things stood when the commentary was written), what
        "then" means for it: the state reading at :data:`COMMENTARY_DATE` and/or the declared test run
        on the data published by that date. A state claim is decided twice, then and now
        (:func:`rotation.evidence.rubric.decide` refuses it without its ``then`` evidence).
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
    decision: Decision = field(default_factory=Decision)
    dated: str = ""

    @property
    def is_state(self) -> bool:
        """A claim about the state of things at :data:`COMMENTARY_DATE` (decided then and now)."""
        return bool(self.dated)

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
          expected_sign=-1,
          dated="the state reading at the date: the percentile of the latest 1-year relative return in its own "
                "history, on the months published by then",
          decision=Decision(evidence="descriptive", thresholds=(1 / 3, 2 / 3), checks=("horizon", "proxy"))),
    Claim("breakout_follow_through", _RS,
          "Small caps could stage a breakout (the set-up for a small-cap breakout)",
          "A relative-strength breakout is followed by further small-cap outperformance beyond the "
          "unconditional average.",
          "01_relative_strength", "forward relative returns after breakout episodes minus the unconditional mean",
          decision=Decision(horizon=6, min_n=8, checks=("proxy", "subperiod", "horizon"))),
    Claim("false_breakout", _RS,
          "Bear case for a false breakout: a failure to sustain momentum could lead to a retracement",
          "Relative-strength breakouts fail (fall back below the level they broke) more often than the same "
          "rule fails on paths with no predictability.",
          "01_relative_strength", "observed false-breakout rate against a block-bootstrap null distribution",
          decision=Decision(min_n=8, checks=("proxy",))),
    Claim("blowoff", _RS,
          "Small caps could break out in a dramatic blow-off move",
          "Extreme short-term small-cap rallies near a prior high are followed by further gains rather than "
          "by a give-back.",
          "01_relative_strength", "forward returns after near-high blow-off rallies against ordinary breakouts",
          decision=Decision(min_n=5, checks=("other",))),
    Claim("resistance_2000", _RS,
          "The Russell 2000 has struggled to break through key technical levels, particularly 2,000",
          "Approaches to round thousands fail more often than approaches to non-round (placebo) levels.",
          "01_relative_strength", "break/fail rates at round levels against placebo levels, clustered approaches",
          expected_sign=1, general=False,
          dated="the declared test on ^RUT closes up to the date: had approaches to round thousands failed more "
                "often than placebo levels, as the index stood below 2,000 then",
          decision=Decision(min_n=8, robustness_proxy=None)),
    Claim("weaker_dollar", _USD,
          "A softer U.S. dollar has provided a tailwind for smaller exporters",
          "Small-minus-large returns are higher when the dollar falls (negative dollar beta).",
          "02_dollar_sensitivity", "HAC beta of relative returns on dollar changes, by sub-period and proxy",
          expected_sign=-1, names_mechanism=True,
          decision=Decision(checks=("proxy", "subperiod", "control", "other"))),
    Claim("rates_borrowing_costs", _RATES,
          "Small caps are more sensitive to borrowing costs; stabilising rates may benefit them",
          "Small-minus-large returns fall when yields rise (negative yield beta), through the borrowing-cost "
          "channel.",
          "03_interest_rates", "HAC beta of relative returns on Treasury-yield changes, with controls",
          expected_sign=-1, names_mechanism=True,
          dated="the declared test on the months published by the date (rates had stabilised then: the last "
                "hike was July 2023); what the commentary said may benefit small caps is judged on the beta known "
                "then",
          decision=Decision(adjust="holm", checks=("proxy", "other"))),
    Claim("fed_dovish", _RATES,
          "Any dovish signals from the Federal Reserve could boost risk assets, including small caps",
          "Small caps outperform after the Fed turns dovish (first cut of an easing cycle).",
          "03_interest_rates", "relative returns in event windows after Fed first cuts, bootstrap over cycles",
          names_mechanism=False,
          decision=Decision(horizon=12, min_n=5, checks=("proxy", "other"))),
    Claim("liquidity", _RATES,
          "Small caps are more vulnerable to tightening financial conditions and credit stress",
          "Small-minus-large returns fall when credit spreads widen or financial conditions tighten.",
          "03_interest_rates", "HAC beta on credit-spread changes; next-month returns by financial-conditions "
          "regime (release-timed values, latest vintage)",
          expected_sign=-1, names_mechanism=True,
          decision=Decision(checks=("proxy", "other"))),
    Claim("santa_claus", _SEASON,
          "The period from November through January (the Santa Claus rally) has been favourable for small caps",
          "Small-minus-large returns in the November-January window (and Hirsch's Santa Claus window) exceed "
          "those of other windows of the same length, and not only through January (the month of the January "
          "effect): November-December alone is a control check, so an edge that is all January's is at most "
          "partly supported.",
          "04_seasonality", "window returns against all other same-length windows, bootstrap over years; "
          "November-December alone (without January) as a control",
          decision=Decision(checks=("proxy", "other", "subperiod", "control"), international=True)),
    Claim("january_effect", _SEASON,
          "January is traditionally a strong month for small caps (the January effect)",
          "Small-minus-large returns are higher in January than in other months, in recent eras too.",
          "04_seasonality", "January vs other months, month-dummy HAC regression, by era (the tax-loss "
          "channel only indirectly: January after a lagging year)",
          decision=Decision(checks=("proxy", "subperiod"), international=True)),
    Claim("late_cycle", _ECON,
          "Small caps have often shown strong performance in late-cycle environments",
          "Small-minus-large returns are higher after months that a reader could have called late-cycle at the "
          "time (unemployment near its 36-month low and a flat or inverted 10y-2y curve, from release-timed "
          "values) than after other months. The late third of NBER expansions needs the next peak (hindsight): "
          "described, not deciding.",
          "05_economy", "forward relative returns after the release-timed late-cycle flag minus other months "
          "(NBER expansion thirds described)",
          decision=Decision(horizon=6, checks=("proxy", "horizon"), revision="real-time check")),
    Claim("economic_resilience", _ECON,
          "With a robust labour market and improving confidence, small caps are well positioned",
          "Strong labour-market and confidence readings (known at the time) are followed by small-cap "
          "outperformance.",
          "05_economy", "forward relative returns by release-timed (latest vintage) macro signal state, "
          "out-of-sample R2",
          dated="the declared test on the data published by the date (forward windows complete by then, macro "
                "states release-timed to then, latest vintage), and the state reading at the date (was the economy "
                "resilient then)",
          decision=Decision(horizon=6, checks=("proxy", "subperiod"), revision="real-time check")),
    Claim("recession_risk", _ECON,
          "Small caps, less diversified and more leveraged, face disproportionate challenges if growth slows",
          "Small caps underperform large caps in recession months (the unconditional shortfall decides: the "
          "claim names an outcome, and a higher market beta is one way leverage shows, so it is part of the "
          "claim, not a confounder). What is left beyond the market beta is the control check; leverage and "
          "diversification themselves are not measured (an association).",
          "05_economy", "relative returns in recession months minus other months; beyond a market beta as a check",
          expected_sign=-1, names_mechanism=True,
          decision=Decision(checks=("proxy", "control"))),
    Claim("valuation_discount", _VAL,
          "Small caps trade at historically low valuations relative to large caps, attractive for bargain hunters",
          "The small-vs-big valuation spread is historically wide and a wide spread predicts small-cap "
          "outperformance.",
          "06_valuation_quality", "spread percentile; predictive regression of 1-5 year relative returns",
          dated="the declared test on the data published by the date: the spread's percentile as published "
                "then and the predictive regression on the forward windows complete by then",
          decision=Decision(horizon=36, thresholds=(1 / 3, 2 / 3), robustness_proxy="ff10_vw",
                            checks=("proxy", "subperiod", "other"), conservative=("HAC", "Hodrick 1B"))),
    Claim("earnings_outlook", _VAL,
          "An improved earnings outlook supports small caps",
          "A rise in small-minus-big profitability precedes relative outperformance (proxy only).",
          "06_valuation_quality", "operating-profitability spread as an earnings proxy",
          names_mechanism=True,
          decision=Decision(horizon=12, robustness_proxy="ff10_vw", checks=("proxy",),
                            conservative=("HAC", "Hodrick 1B"))),
    Claim("quality", _VAL,
          "Focus on quality companies with strong fundamentals",
          "Within small caps, profitable (quality) stocks beat the rest; the size premium survives quality "
          "controls.",
          "06_valuation_quality", "size premium with RMW/CMA controls; IJR (profitability screen) vs IWM",
          decision=Decision(robustness_proxy="ff10_vw", checks=("other",), international=True)),
    Claim("sector_rotation", _SECT,
          "A rotation out of large-cap tech into undervalued areas such as small caps could spark a broader rally",
          "Small-cap relative strength rises after tech's relative strength peaks and as breadth broadens.",
          "07_sector_rotation", "small-cap returns after tech relative-strength peaks; breadth as a predictor",
          decision=Decision(horizon=26, horizon_unit="weeks", min_n=5, robustness_proxy="IJR",
                            checks=("proxy", "other"))),
    Claim("breakout_new_year", _SYN,
          "Will small caps break out in a blow-off move into the new year?",
          "Given the signals, a breakout of the small/large relative-strength line (sustained or blow-off) by the end "
          "of the next January is more likely than the base rate of the same season, and the signals forecast it "
          "with out-of-sample skill.",
          "08_signals", "the declared forecast (BREAKOUT_EVENT): P(breakout) by the signals minus the base rate, "
                        "counted only with out-of-sample Brier skill",
          dated="the declared forecast made as of the date: the signal board, the base rate and the out-of-sample "
                "record with only data published by then",
          decision=Decision(checks=("proxy", "subperiod"), revision="real-time check",
                            skill="out-of-sample Brier skill")),
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


@dataclass(frozen=True)
class ForecastEvent:
    """The event the question names, and the one model that forecasts it, declared before any score is seen.

    ``window``: from the forecast date (a month end) to the end of the next January. ``outcomes`` on the monthly
    small/large relative-strength line, notebook 01's definitions (:func:`rotation.studies.board.outcome_classes`
    with ``lookback``, ``k``, ``blowoff_quantile``); an outcome counts as known ``k`` months after the window plus
    ``publication_lag`` months. The model (:func:`rotation.studies.forecast.breakout_forecast`): the base rate of
    each outcome at the same forecast month of every earlier year known by then (Jeffreys' half-count), and the
    frequencies among the years whose share of favourable signals was within ``neighbours`` signals of the forecast
    date's (symmetric), shrunk to the base rate with ``prior_weight`` pseudo-years; past forecasts are made
    walk-forward and scored from the ``min_train``-th year on; the skill interval is a bootstrap over years
    (``level``). If it does not exclude zero the answer is the base rate. The commentary's own forecast is the
    same made as of :data:`COMMENTARY_DATE`. ``board_horizon``: the forward months of notebook 08's descriptive
    tables (the signal board, months like today, the composite); they describe the signals, the forecast decides.
    """

    window: str = "to the end of the next January"
    outcomes: tuple[str, ...] = ("no breakout", "false breakout", "sustained breakout", "blow-off")
    breakout: tuple[str, ...] = ("sustained breakout", "blow-off")
    lookback: int = 12
    k: int = 3
    blowoff_quantile: float = 0.9
    publication_lag: int = 1
    neighbours: int = 1
    prior_weight: float = 10.0
    min_train: int = 20
    level: float = 0.95
    board_horizon: int = 3

    def tolerance(self, n_signals: int) -> float:
        """``neighbours`` signals as a distance between shares of ``n_signals`` signals."""
        if n_signals < 1:
            raise ParameterError(f"n_signals must be at least 1; got {n_signals!r}")
        return self.neighbours / n_signals


#: The question's event ("Will small caps break out in a blow-off move into the new year?"), declared once.
BREAKOUT_EVENT = ForecastEvent()


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


def state_claims() -> list[Claim]:
    """The claims about a state (decided then, at :data:`COMMENTARY_DATE`, and now), in the commentary's order."""
    return [c for c in CLAIMS_LIST if c.is_state]


def for_notebook(stem: str) -> list[Claim]:
    """The claims a notebook decides."""
    return [c for c in CLAIMS_LIST if c.notebook == stem]


def second_proxy(proxy: str, robustness_proxy: str, fallback: str = "ff30_vw") -> str:
    """The pair the claims are checked on: ``robustness_proxy``, or ``fallback`` when it is the main proxy."""
    return robustness_proxy if robustness_proxy != proxy else fallback
