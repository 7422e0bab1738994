"""ECharts options built in Python from the page data; the page embeds them as JSON and
static/app.js hands each to the vendored echarts.min.js. No chart library is loaded from outside."""

from __future__ import annotations

from typing import Any

from gongkai.web.models import Dashboard, PeerMetric

Option = dict[str, Any]
_RED, _AMBER, _BLUE, _GREEN, _GREY = "#b3261e", "#c77700", "#1f5fa8", "#2e7d32", "#8a8a8a"
_PIE_TOP = 8
_FONT = {"fontFamily": "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif"}


def _base(title: str) -> Option:
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "textStyle": _FONT,
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 24, "bottom": 8, "top": 48, "containLabel": True},
        "animation": False,
    }


def rule_rates(d: Dashboard) -> Option:
    """Share of parsed reports with each finding code, errors red and warnings amber."""
    rows = list(reversed(d.rules[:15]))
    colour = {"error": _RED, "warning": _AMBER}
    data = [
        {"value": round(r.share * 100, 1), "itemStyle": {"color": colour.get(r.severity, _GREY)}}
        for r in rows
    ]
    return _base("各审查规则的报告占比（%）") | {
        "xAxis": {"type": "value", "max": 100},
        "yAxis": {"type": "category", "data": [r.code for r in rows]},
        "series": [{"type": "bar", "data": data, "label": {"show": True, "position": "right"}}],
    }


def requests_by_year(d: Dashboard) -> Option:
    years = [str(r.year or "未知") for r in d.requests]
    return _base("依申请公开：收到与办理（件）") | {
        "legend": {"bottom": 0},
        "xAxis": {"type": "category", "data": years},
        "yAxis": {"type": "value"},
        "series": [
            {
                "name": "本年新收",
                "type": "bar",
                "data": [r.received for r in d.requests],
                "color": _BLUE,
            },
            {
                "name": "办理结果总计",
                "type": "bar",
                "data": [r.handled for r in d.requests],
                "color": _GREEN,
            },
            {
                "name": "上年结转",
                "type": "line",
                "data": [r.carried_over for r in d.requests],
                "color": _GREY,
            },
        ],
        "grid": {"left": 8, "right": 24, "bottom": 32, "top": 48, "containLabel": True},
    }


def outcome_mix(d: Dashboard) -> Option:
    """The largest outcomes as slices; the rest as one 其他."""
    rows = sorted((o for o in d.outcomes if o.count), key=lambda o: -o.count)
    slices = [{"name": o.label, "value": o.count} for o in rows[:_PIE_TOP]]
    rest = sum(o.count for o in rows[_PIE_TOP:])
    if rest:
        slices.append({"name": "其余各项", "value": rest})
    return _base("办理结果构成（总计列）") | {
        "tooltip": {"trigger": "item", "formatter": "{b}<br>{c} 件（{d}%）"},
        "series": [{"type": "pie", "radius": ["30%", "62%"], "top": 30, "data": slices,
                    "label": {"formatter": "{b}\n{d}%", "fontSize": 11}}],
    }  # fmt: skip


def correction_rates(d: Dashboard) -> Option:
    rates = [None if c.rate is None else round(c.rate * 100, 1) for c in d.corrections]
    return _base("复议、诉讼纠错率（%）") | {
        "xAxis": {"type": "category", "data": [c.label for c in d.corrections],
                  "axisLabel": {"interval": 0, "width": 110, "overflow": "break"}},
        "yAxis": {"type": "value", "max": 100},
        "series": [{"type": "bar", "data": rates, "color": _AMBER,
                    "label": {"show": True, "position": "top"}}],
    }  # fmt: skip


def _scaled(metric: PeerMetric, value: float | None) -> float | None:
    if value is None:
        return None
    return round(value * 100, 1) if metric.key.endswith("_rate") else value


def peer_box(metric: PeerMetric) -> Option:
    """Min, quartiles and max of the peers as a box; the agency as a red point on it."""
    five = [
        _scaled(metric, v)
        for v in (metric.minimum, metric.q1, metric.median, metric.q3, metric.maximum)
    ]
    own = _scaled(metric, metric.value)
    unit = "%" if metric.key.endswith("_rate") else "件"
    return _base(f"{metric.label}（{unit}）") | {
        "tooltip": {"trigger": "item"},
        "grid": {"left": 8, "right": 24, "bottom": 8, "top": 40, "containLabel": True},
        "xAxis": {"type": "value", "scale": True},
        "yAxis": {"type": "category", "data": [f"同年 {metric.peers} 份"]},
        "series": [
            {"name": "同级分布", "type": "boxplot", "data": [five], "itemStyle": {"color": "#e8eef7", "borderColor": _BLUE}},
            {"name": "本机关", "type": "scatter", "data": [[own, 0]] if own is not None else [],
             "symbolSize": 14, "itemStyle": {"color": _RED}},
        ],
    }  # fmt: skip


def home_charts(d: Dashboard) -> dict[str, Option]:
    charts = {
        "chart-rules": rule_rates(d),
        "chart-requests": requests_by_year(d),
        "chart-outcomes": outcome_mix(d),
        "chart-corrections": correction_rates(d),
    }
    for metric in d.peer.metrics if d.peer else []:
        if metric.peers:
            charts[f"chart-peer-{metric.key}"] = peer_box(metric)
    return charts
