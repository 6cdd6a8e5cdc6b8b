"""Charts as plain SVG shapes (drawn by the HTML template, which escapes every value).

Each chart is a list of shapes in a fixed-size view box; the page scales it to its width.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from planner.render.common import (
    effective_sets,
    muscle_name,
    muscles,
    target_sets,
    week_loads,
    weekly_range,
)

WIDTH = 760
LABEL = 150  # room for muscle names left of the plot
INK = "#1d2733"
GRID = "#d5dbe3"
ALLOWED = "#e6ebf1"
VOLUME = "#3f6e9e"
DELOAD = "#d9a21b"
DELOAD_BAND = "#fbf0d2"
FATIGUE = "#b8412f"


@dataclass
class Shape:
    """One SVG element: ``tag`` with ``attrs`` and optional text content."""

    tag: str
    attrs: dict[str, Any]
    text: str = ""


@dataclass
class Chart:
    title: str
    caption: str
    height: int
    width: int = WIDTH
    shapes: list[Shape] = field(default_factory=list)

    def add(self, tag: str, text: str = "", **attrs: Any) -> None:
        attrs = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        self.shapes.append(Shape(tag, attrs, text))

    def label(
        self,
        x: float,
        y: float,
        text: str,
        anchor: str = "start",
        size: int = 12,
        fill: str = INK,
        weight: str = "normal",
        halo: bool = False,
    ) -> None:
        """Text at ``(x, y)``; a white halo keeps it readable over bars and lines."""
        extra = {"stroke": "#ffffff", "stroke_width": 3, "paint_order": "stroke"} if halo else {}
        self.add(
            "text",
            text,
            x=r(x),
            y=r(y),
            text_anchor=anchor,
            font_size=size,
            fill=fill,
            font_weight=weight,
            **extra,
        )


def r(value: float) -> float:
    """Coordinates rounded to a tenth, so the markup is short and stable."""
    return round(value, 1)


def nice_max(value: float, step: int) -> int:
    return max(step, math.ceil(value / step) * step)


def sets_per_muscle(plan: dict[str, Any]) -> Chart:
    """A bar per muscle: mean effective sets in training weeks (and in deload weeks), against
    its volume landmarks: the MEV-MRV band and the MAV target (tick)."""
    names = muscles(plan)
    training = [effective_sets(w) for w in plan["weeks"] if not w["deload"]]
    light = [effective_sets(w) for w in plan["weeks"] if w["deload"]]
    row, top = 30, 34
    chart = Chart(
        "Weekly sets per muscle",
        "Bars: mean effective sets a training week (primary muscle 1, secondary 0.5)"
        + ("; thin bars: deload weeks" if light else "")
        + ". Band: MEV to MRV (the least volume that grows to the most you recover from). "
        "Tick: MAV, the target.",
        height=top + row * len(names) + 30,
    )
    ranges = {m: weekly_range(plan, m) for m in names}
    targets = {m: target_sets(plan, m) for m in names}
    mean = {
        m: sum(w.get(m, 0) for w in training) / len(training) if training else 0.0 for m in names
    }
    deload = {m: sum(w.get(m, 0) for w in light) / len(light) if light else 0.0 for m in names}
    peak = max(
        [
            1.0,
            *mean.values(),
            *deload.values(),
            *(t or 0 for t in targets.values()),
            *(lo_hi[1] for lo_hi in ranges.values() if lo_hi),
        ]
    )
    top_value = nice_max(peak, 5)
    plot = WIDTH - LABEL - 20
    x = lambda v: LABEL + plot * v / top_value  # noqa: E731
    for tick in range(0, top_value + 1, 5):
        chart.add(
            "line", x1=r(x(tick)), x2=r(x(tick)), y1=top - 6, y2=top + row * len(names), stroke=GRID
        )
        chart.label(x(tick), top - 12, f"{tick}", anchor="middle", size=11)
    for i, m in enumerate(names):
        y = top + row * i
        chart.label(LABEL - 8, y + row / 2 + 4, muscle_name(m), anchor="end")
        lo_hi = ranges[m]
        if lo_hi:
            chart.add(
                "rect",
                x=r(x(lo_hi[0])),
                y=y + 3,
                width=r(x(lo_hi[1]) - x(lo_hi[0])),
                height=row - 6,
                fill=ALLOWED,
            )
        chart.add("rect", x=LABEL, y=y + 7, width=r(x(mean[m]) - LABEL), height=12, fill=VOLUME)
        chart.label(x(mean[m]) + 4, y + 17, f"{mean[m]:.3g}", size=11)
        if light:
            chart.add(
                "rect", x=LABEL, y=y + 20, width=r(x(deload[m]) - LABEL), height=4, fill=DELOAD
            )
        target = targets[m]
        if target:
            chart.add(
                "line",
                x1=r(x(target)),
                x2=r(x(target)),
                y1=y + 3,
                y2=y + row - 3,
                stroke=INK,
                stroke_width=2,
            )
    return chart


def heat(fraction: float) -> str:
    """White for nothing, deep green at or above the target."""
    f = max(0.0, min(1.0, fraction))
    low, high = (246, 248, 250), (27, 110, 72)
    return "#" + "".join(f"{round(a + (b - a) * f):02x}" for a, b in zip(low, high, strict=True))


def coverage_map(plan: dict[str, Any]) -> Chart:
    """Muscles x weeks; each cell's shade is the week's effective sets against the target."""
    names = muscles(plan)
    weeks = plan["weeks"]
    cell_w = max(14.0, min(60.0, (WIDTH - LABEL - 20) / max(1, len(weeks))))
    row, top = 26, 44
    chart = Chart(
        "Coverage heat map",
        "Effective sets per muscle and week; full colour at the MAV target "
        "(or the MRV where the target is 0). D: deload week.",
        height=top + row * len(names) + 12,
        width=max(WIDTH, round(LABEL + cell_w * len(weeks) + 20)),
    )
    for j, week in enumerate(weeks):
        cx = LABEL + cell_w * (j + 0.5)
        mark = "D" if week["deload"] else ""
        chart.label(
            cx,
            top - 22,
            f"W{week['week']}",
            anchor="middle",
            size=11,
            weight="bold" if week["deload"] else "normal",
        )
        if mark:
            chart.label(cx, top - 8, mark, anchor="middle", size=11, fill=DELOAD, weight="bold")
    for i, m in enumerate(names):
        y = top + row * i
        chart.label(LABEL - 8, y + row / 2 + 4, muscle_name(m), anchor="end")
        lo_hi = weekly_range(plan, m)
        scale = target_sets(plan, m) or (lo_hi[1] if lo_hi else 0) or 1.0
        for j, week in enumerate(weeks):
            sets = effective_sets(week).get(m, 0.0)
            fraction = sets / scale
            chart.add(
                "rect",
                x=r(LABEL + cell_w * j + 1),
                y=y + 1,
                width=r(cell_w - 2),
                height=row - 2,
                fill=heat(fraction),
            )
            if cell_w >= 28:
                chart.label(
                    LABEL + cell_w * (j + 0.5),
                    y + row / 2 + 4,
                    f"{sets:.3g}",
                    anchor="middle",
                    size=11,
                    fill="#ffffff" if fraction > 0.55 else INK,
                )
    return chart


def load_curve(plan: dict[str, Any]) -> Chart:
    """Main sets a week (bars, volume) and fatigue points a week (line, volume x intensity),
    deload weeks shaded."""
    loads = week_loads(plan)
    top, plot_h, left = 34, 220, 60
    chart = Chart(
        "Volume and intensity over the block",
        "Bars: main-block sets a week (left scale). Line: fatigue points a week, "
        "sets x each exercise's cost (right scale). Shaded: deload weeks.",
        height=top + plot_h + 46,
    )
    n = max(1, len(loads))
    slot = (WIDTH - 2 * left) / n
    # Headroom above the tallest bar, and the line mostly above the bars, keep labels apart.
    sets_max = nice_max(1.1 * max([1, *(w.sets for w in loads)]), 20)
    fatigue_max = nice_max(1.05 * max([1, *(w.fatigue for w in loads)]), 20)
    base = top + plot_h
    for k in range(5):
        y = base - plot_h * k / 4
        chart.add("line", x1=left, x2=WIDTH - left, y1=r(y), y2=r(y), stroke=GRID)
        chart.label(left - 6, y + 4, f"{sets_max * k / 4:g}", anchor="end", size=11, fill=VOLUME)
        chart.label(WIDTH - left + 6, y + 4, f"{fatigue_max * k / 4:g}", size=11, fill=FATIGUE)
    chart.label(left - 6, top - 14, "sets", anchor="end", size=11, fill=VOLUME, weight="bold")
    chart.label(WIDTH - left + 6, top - 14, "fatigue", size=11, fill=FATIGUE, weight="bold")
    points = []
    for j, load in enumerate(loads):
        x0 = left + slot * j
        cx = x0 + slot / 2
        if load.deload:
            chart.add("rect", x=r(x0), y=top, width=r(slot), height=plot_h, fill=DELOAD_BAND)
            chart.label(
                cx, top + 14, "deload", anchor="middle", size=11, fill="#8a6410", weight="bold"
            )
        bar_h = plot_h * load.sets / sets_max
        bar_w = min(slot * 0.55, 60)
        chart.add(
            "rect",
            x=r(cx - bar_w / 2),
            y=r(base - bar_h),
            width=r(bar_w),
            height=r(bar_h),
            fill=DELOAD if load.deload else VOLUME,
        )
        if bar_h >= 20:
            chart.label(cx, base - 7, f"{load.sets}", anchor="middle", size=11, fill="#ffffff")
        else:
            chart.label(cx, base - bar_h - 4, f"{load.sets}", anchor="middle", size=11, fill=VOLUME)
        chart.label(cx, base + 16, f"W{load.week}", anchor="middle", size=11)
        points.append((cx, base - plot_h * load.fatigue / fatigue_max, load.fatigue))
    chart.add(
        "polyline",
        points=" ".join(f"{r(x)},{r(y)}" for x, y, _ in points),
        fill="none",
        stroke=FATIGUE,
        stroke_width=2.5,
    )
    for x, y, value in points:
        chart.add("circle", cx=r(x), cy=r(y), r_=4, fill=FATIGUE)
        chart.label(
            x, y - 9, f"{value}", anchor="middle", size=11, fill=FATIGUE, weight="bold", halo=True
        )
    chart.label(WIDTH / 2, base + 36, "week", anchor="middle", size=11)
    return chart
