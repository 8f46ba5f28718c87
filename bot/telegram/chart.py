"""The /stats picture: the week's articles per outlet per day and deliveries per day, as a PNG.

matplotlib is imported inside ``draw_week`` only, so neither the bot's start nor a reader's
command ever loads it; the handler runs ``draw_week`` in a worker thread. It draws through the
object API (``Figure`` with the Agg canvas), never pyplot, whose global state is not for threads.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from bot.store.stats import WeekSeries
from bot.telegram.i18n import _

logger = logging.getLogger(__name__)

MAX_OUTLETS = 8  # the busiest outlets get a colour each; the rest are summed as one
DPI = 100
SIZE = (9.0, 7.0)  # inches: 900 × 700 pixels
# matplotlib's tab10 without its grey, which marks the summed rest.
COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown", "tab:pink", "tab:olive")
REST_COLOUR = "lightgrey"


@dataclass(frozen=True)
class ChartText:
    """The chart's words, in the admin's language (translated before the worker thread runs)."""

    title: str
    articles: str
    deliveries: str
    sent: str
    failed: str
    others: str
    empty: str


def chart_words() -> ChartText:
    """The chart's words in the language in effect."""
    return ChartText(
        title=_("Ringkas: 7 hari terakhir"),
        articles=_("Artikel per sumber"),
        deliveries=_("Pengiriman"),
        sent=_("terkirim"),
        failed=_("gagal"),
        others=_("lainnya"),
        empty=_("Belum ada artikel dalam 7 hari terakhir"),
    )


async def week_picture(series: WeekSeries) -> bytes | None:
    """The week's chart drawn in a worker thread (the bot keeps answering), or None when it cannot be drawn."""
    try:
        return await asyncio.to_thread(draw_week, series, chart_words())
    except ImportError as exc:
        logger.error("no /stats chart: matplotlib is not installed (%s)", exc)
    except Exception:
        logger.exception("no /stats chart: drawing failed")
    return None


def outlet_rows(series: WeekSeries, limit: int = MAX_OUTLETS) -> list[tuple[str, Sequence[int]]]:
    """The busiest outlets' daily counts, and the rest summed under ``None`` (as the last row)."""
    items = list(series.articles.items())
    rows: list[tuple[str, Sequence[int]]] = list(items[:limit])
    if len(items) > limit:
        rest = [sum(counts[n] for _name, counts in items[limit:]) for n in range(len(series.days))]
        rows.append(("", rest))
    return rows


def draw_week(series: WeekSeries, text: ChartText) -> bytes:
    """A PNG of the week: stacked articles per outlet per day above, deliveries per day below."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(2, 1))
    labels = [f"{d:%d/%m}" for d in series.days]
    x = range(len(labels))
    base = [0] * len(labels)
    for n, (name, counts) in enumerate(outlet_rows(series)):
        colour = COLOURS[n % len(COLOURS)] if name else REST_COLOUR
        top.bar(x, counts, bottom=base, label=name or text.others, width=0.7, color=colour)
        base = [b + c for b, c in zip(base, counts, strict=True)]
    if not series.articles:
        top.text(0.5, 0.5, text.empty, ha="center", va="center", transform=top.transAxes)
    else:
        top.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    top.set_title(text.title)
    top.set_ylabel(text.articles)
    width = 0.38
    bottom.bar([i - width / 2 for i in x], series.sent, width=width, label=text.sent, color="tab:green")
    bottom.bar([i + width / 2 for i in x], series.failed, width=width, label=text.failed, color="tab:red")
    bottom.set_ylabel(text.deliveries)
    bottom.set_xticks(list(x), labels)
    bottom.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    for axes in (top, bottom):
        axes.yaxis.get_major_locator().set_params(integer=True)
        axes.set_ylim(0, max(1.0, axes.get_ylim()[1]))  # no negative counts on an empty week
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
