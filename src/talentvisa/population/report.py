"""Write a simulation's tables, charts and one self-contained HTML report.

Every chart is drawn from the same summary tables that are written beside it, so the
pictures cannot say something the tables do not.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import polars as pl

from talentvisa.population.best import NONE
from talentvisa.population.plan import AGE_BANDS, OLDEST_BAND, SEGMENTS, UNKNOWN_SEGMENT
from talentvisa.population.simulate import BASELINE, Results, Run

TABLE_FORMATS: Final = ("parquet", "csv")
SEGMENT_TITLES: Final = {
    "country": "first citizenship",
    "degree": "highest degree",
    "field": "field of the highest degree (ISCED-F broad)",
    "age_band": "age band",
}


@dataclass(frozen=True, slots=True)
class Meta:
    population: str
    people: int
    as_of: dt.date
    engine: str
    preferences: tuple[str, ...]
    currency: str
    seconds: float


def summaries(tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The tables people read first: totals over every segment."""
    rates = tables["rates"]
    total = rates.group_by("run", "program").agg(pl.col("people").sum().alias("people"))
    by_status = (
        rates.group_by("run", "program")
        .agg(
            *(
                pl.col("people").filter(pl.col("status") == s).sum().alias(s)
                for s in ("eligible", "undetermined", "ineligible", "not_in_force")
            )
        )
        .join(total, on=["run", "program"])
        .with_columns(
            eligible_pct=100 * pl.col("eligible") / pl.col("people"),
            undetermined_pct=100 * pl.col("undetermined") / pl.col("people"),
        )
        .sort("run", "program")
    )
    best = (
        tables["best"]
        .group_by("run", "best")
        .agg(pl.col("people").sum())
        .with_columns(pct=100 * pl.col("people") / pl.col("people").sum().over("run"))
        .sort("run", "best")
    )
    switches = (
        tables["switches"].filter(pl.col("before") != pl.col("after"))
        if tables["switches"].height
        else tables["switches"]
    )
    if switches.height:
        switches = (
            switches.group_by("scenario", "before", "after")
            .agg(pl.col("people").sum())
            .sort(["scenario", "people"], descending=[False, True])
        )
    overlaps = (
        tables["overlaps"]
        .group_by("run", "program_a", "program_b")
        .agg(pl.col("a_not_b").sum(), pl.col("both").sum())
        .sort("run", "program_a", "program_b")
    )
    costs = (
        tables["costs"]
        .group_by("run", "program")
        .agg(pl.all().exclude("run", "program", *SEGMENTS).sum())
        .with_columns(
            **{
                f"{payer}_mean": pl.when(pl.col(f"{payer}_known") > 0).then(
                    pl.col(f"{payer}_total") / pl.col(f"{payer}_known")
                )
                for payer in ("applicant", "employer")
            }
        )
        .sort("run", "program")
    )
    out = {
        "summary_rates": by_status,
        "summary_best": best,
        "summary_switches": switches,
        "summary_overlaps": overlaps,
        "summary_costs": costs,
    }
    for segment in SEGMENTS:
        out[f"rates_by_{segment}"] = (
            rates.group_by("run", "program", segment)
            .agg(
                pl.col("people").sum(),
                pl.col("people").filter(pl.col("status") == "eligible").sum().alias("eligible"),
            )
            .with_columns(eligible_pct=100 * pl.col("eligible") / pl.col("people"))
            .sort("run", "program", segment)
        )
    return out


def write(out: Path, results: Results, runs: Sequence[Run], meta: Meta) -> Path:
    """Tables (Parquet and CSV), PNG charts and ``report.html`` in ``out``; returns the report."""
    out.mkdir(parents=True, exist_ok=True)
    tables = results.tables()
    summary = summaries(tables)
    for name, frame in {**tables, **summary}.items():
        frame.write_parquet(out / f"{name}.parquet")
        frame.write_csv(out / f"{name}.csv")
    charts = _charts(out, summary, runs, meta.currency)
    (out / "summary.json").write_text(
        json.dumps(
            {
                "meta": {**dataclasses.asdict(meta), "as_of": meta.as_of.isoformat()},
                "runs": [{"name": r.name, "title": r.title, "changes": r.changes} for r in runs],
                "rates": summary["summary_rates"].to_dicts(),
                "best": summary["summary_best"].to_dicts(),
                "switches": summary["summary_switches"].to_dicts(),
            },
            indent=2,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    report = out / "report.html"
    report.write_text(_html(summary, runs, meta, charts), encoding="utf-8")
    return report


# ------------------------------------------------------------------ charts

_COLOURS: Final = ("#1f5f8b", "#d9822b", "#3a8f5c", "#8e44ad", "#c0392b", "#7f8c8d")


def _charts(
    out: Path, summary: dict[str, pl.DataFrame], runs: Sequence[Run], currency: str
) -> dict[str, Path]:
    import matplotlib

    matplotlib.use("Agg")  # files, never a window
    charts = {
        "eligibility": _eligibility_chart(out / "eligibility.png", summary["summary_rates"], runs),
        "best": _best_chart(out / "best_option.png", summary["summary_best"], runs),
        "costs": _costs_chart(out / "fees.png", summary["summary_costs"], runs, currency),
        "age_band": _segment_chart(
            out / "eligibility_by_age_band.png", summary["rates_by_age_band"], runs, "age_band"
        ),
    }
    if len(runs) > 1:
        charts["switches"] = _switch_chart(out / "switches.png", summary["summary_switches"], runs)
    return charts


def _eligibility_chart(path: Path, rates: pl.DataFrame, runs: Sequence[Run]) -> Path:
    import matplotlib.pyplot as plt

    programs = sorted(rates["program"].unique())
    fig, ax = plt.subplots(figsize=(9, 0.5 + 0.45 * len(programs) * len(runs)))
    height = 0.8 / len(runs)
    for i, run in enumerate(runs):
        rows = {r["program"]: r for r in rates.filter(pl.col("run") == run.name).to_dicts()}
        ys = [p + (i - (len(runs) - 1) / 2) * height for p in range(len(programs))]
        eligible = [rows[p]["eligible_pct"] for p in programs]
        maybe = [rows[p]["undetermined_pct"] for p in programs]
        colour = _COLOURS[i % len(_COLOURS)]
        ax.barh(ys, eligible, height, color=colour, label=f"{run.name}: eligible")
        ax.barh(
            ys,
            maybe,
            height,
            left=eligible,
            color=colour,
            alpha=0.35,
            hatch="//",
            label=f"{run.name}: undetermined",
        )
        for y, e in zip(ys, eligible, strict=True):
            ax.text(e, y, f" {e:.1f}%", va="center", fontsize=7)
    ax.set_yticks(range(len(programs)), programs)
    ax.invert_yaxis()
    ax.set_xlabel("% of people")
    ax.set_xlim(0, 100)
    ax.set_title("Eligible (solid) and undetermined (hatched), by programme")
    ax.legend(fontsize=7, loc="lower right")
    return _save(fig, path)


def _best_chart(path: Path, best: pl.DataFrame, runs: Sequence[Run]) -> Path:
    import matplotlib.pyplot as plt

    options = _options(best)
    fig, ax = plt.subplots(figsize=(9, 1 + 0.6 * len(runs)))
    cmap = plt.get_cmap("tab10")
    for i, run in enumerate(runs):
        rows = {r["best"]: r["pct"] for r in best.filter(pl.col("run") == run.name).to_dicts()}
        left = 0.0
        for j, option in enumerate(options):
            share = rows.get(option, 0.0)
            colour = "#cccccc" if option == NONE else cmap(j % 10)
            ax.barh(i, share, left=left, color=colour, label=option if i == 0 else None)
            if share >= 4:
                ax.text(left + share / 2, i, f"{share:.0f}%", ha="center", va="center", fontsize=7)
            left += share
    ax.set_yticks(range(len(runs)), [r.name for r in runs])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of people whose best option it is")
    ax.set_title("Best option under the comparison's preferences")
    ax.legend(fontsize=7, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.35))
    return _save(fig, path)


def _switch_chart(path: Path, switches: pl.DataFrame, runs: Sequence[Run]) -> Path:
    import matplotlib.pyplot as plt

    scenarios = [r for r in runs if r.name != BASELINE]
    fig, axes = plt.subplots(
        len(scenarios), 1, figsize=(9, 1.6 + 2.2 * len(scenarios)), squeeze=False
    )
    for ax, run in zip(axes[:, 0], scenarios, strict=True):
        rows = (
            switches.filter(pl.col("scenario") == run.name).head(8).to_dicts()
            if switches.height
            else []
        )
        if not rows:
            ax.text(0.5, 0.5, "No one's best option changes", ha="center", va="center")
            ax.set_axis_off()
        else:
            labels = [f"{r['before']} → {r['after']}" for r in rows]
            ax.barh(range(len(rows)), [r["people"] for r in rows], color=_COLOURS[1])
            ax.set_yticks(range(len(rows)), labels, fontsize=8)
            ax.invert_yaxis()
            for y, r in enumerate(rows):
                ax.text(r["people"], y, f" {r['people']:,}", va="center", fontsize=7)
            ax.set_xlabel("people")
        ax.set_title(f"{run.name}: whose best option changes, from → to", fontsize=10)
    return _save(fig, path)


def _segment_chart(path: Path, table: pl.DataFrame, runs: Sequence[Run], segment: str) -> Path:
    import matplotlib.pyplot as plt

    programs = sorted(table["program"].unique())
    cols = 4
    rows_n = (len(programs) + cols - 1) // cols
    fig, axes = plt.subplots(rows_n, cols, figsize=(12, 2.6 * rows_n), squeeze=False, sharey=True)
    order = _segment_order(segment, table[segment].unique())
    top = max(5.0, *(float(v) * 1.15 for v in table["eligible_pct"].to_list() if v is not None))
    for k, program in enumerate(programs):
        ax = axes[k // cols, k % cols]
        for i, run in enumerate(runs):
            rows = {
                r[segment]: r["eligible_pct"]
                for r in table.filter(
                    (pl.col("run") == run.name) & (pl.col("program") == program)
                ).to_dicts()
            }
            ax.plot(
                order,
                [rows.get(s, 0.0) for s in order],
                marker="o",
                markersize=3,
                color=_COLOURS[i % len(_COLOURS)],
                label=run.name,
                linestyle="-" if i == 0 else "--",
            )
        ax.set_title(program, fontsize=9)
        ax.tick_params(axis="x", labelrotation=45, labelsize=7)
        ax.set_ylim(0, top)
    for k in range(len(programs), rows_n * cols):
        axes[k // cols, k % cols].set_axis_off()
    axes[0, 0].set_ylabel("% eligible")
    axes[0, 0].legend(fontsize=7)
    fig.suptitle(f"Eligible by {SEGMENT_TITLES[segment]}")
    return _save(fig, path)


def _segment_order(segment: str, values: Any) -> list[str]:
    """Age bands youngest first, everything else alphabetical; unknown last."""
    present = [v for v in values if v is not None]
    if segment == "age_band":
        bands = [label for _, label in AGE_BANDS] + [OLDEST_BAND]
        known = [b for b in bands if b in present]
    else:
        known = sorted(v for v in present if v != UNKNOWN_SEGMENT)
    return known + ([UNKNOWN_SEGMENT] if UNKNOWN_SEGMENT in present else [])


def _costs_chart(path: Path, costs: pl.DataFrame, runs: Sequence[Run], currency: str) -> Path:
    import matplotlib.pyplot as plt

    programs = sorted(costs["program"].unique())
    fig, axes = plt.subplots(1, 2, figsize=(12, 0.8 + 0.4 * len(programs) * len(runs)), sharey=True)
    height = 0.8 / len(runs)
    for ax, payer in zip(axes, ("applicant", "employer"), strict=True):
        for i, run in enumerate(runs):
            rows = {r["program"]: r for r in costs.filter(pl.col("run") == run.name).to_dicts()}
            ys = [p + (i - (len(runs) - 1) / 2) * height for p in range(len(programs))]
            means = [
                (rows[p][f"{payer}_mean"] or 0.0)
                if p in rows and rows[p][f"{payer}_known"]
                else 0.0
                for p in programs
            ]
            ax.barh(ys, means, height, color=_COLOURS[i % len(_COLOURS)], label=run.name)
            for y, m in zip(ys, means, strict=True):
                if m:
                    ax.text(m, y, f" {m:,.0f}", va="center", fontsize=7)
        ax.set_title(f"Paid by the {payer} (mean, {currency})", fontsize=10)
        ax.set_yticks(range(len(programs)), programs)
        ax.invert_yaxis()
    axes[0].legend(fontsize=7)
    fig.suptitle(
        "Government fees for people a programme may be open to (no bar: none or not published)"
    )
    return _save(fig, path)


def _save(fig: Any, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return path


# ------------------------------------------------------------------ HTML


def _html(
    summary: dict[str, pl.DataFrame], runs: Sequence[Run], meta: Meta, charts: dict[str, Path]
) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("talentvisa.population", "templates"),
        autoescape=select_autoescape(),
    )
    images = {
        name: "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()
        for name, path in charts.items()
    }
    segment_tables = {
        segment: _pivot(summary[f"rates_by_{segment}"], segment, runs) for segment in SEGMENTS
    }
    return env.get_template("report.html").render(
        meta=meta,
        runs=runs,
        images=images,
        rates=summary["summary_rates"].to_dicts(),
        best=_best_pivot(summary["summary_best"], runs),
        switches=summary["summary_switches"].to_dicts(),
        overlaps=summary["summary_overlaps"].filter(pl.col("run") == BASELINE).to_dicts(),
        costs=summary["summary_costs"].to_dicts(),
        segments=segment_tables,
        segment_titles=SEGMENT_TITLES,
        none=NONE,
    )


def _pivot(table: pl.DataFrame, segment: str, runs: Sequence[Run]) -> dict[str, Any]:
    """Rows: segment values; columns: programme × run, eligible %."""
    programs = sorted(table["program"].unique())
    values = _segment_order(segment, table[segment].unique())
    cells = {(r["run"], r["program"], r[segment]): r for r in table.to_dicts()}
    rows = []
    for v in values:
        people = next(
            (cells[(BASELINE, p, v)]["people"] for p in programs if (BASELINE, p, v) in cells), 0
        )
        rows.append(
            {
                "value": v,
                "people": people,
                "cells": [
                    cells.get((run.name, p, v), {}).get("eligible_pct")
                    for p in programs
                    for run in runs
                ],
            }
        )
    return {"programs": programs, "rows": rows}


def _options(best: pl.DataFrame) -> list[str]:
    """Programmes in id order, then "no option"."""
    return [*sorted(o for o in best["best"].unique() if o != NONE), NONE]


def _best_pivot(best: pl.DataFrame, runs: Sequence[Run]) -> dict[str, Any]:
    options = _options(best)
    cells = {(r["run"], r["best"]): r for r in best.to_dicts()}
    return {
        "options": options,
        "rows": [
            {"run": run.name, "cells": [cells.get((run.name, o), {}) for o in options]}
            for run in runs
        ],
    }
