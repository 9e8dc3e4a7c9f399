"""The analyst's filter panel and its round trip through the URL (st.query_params), so a link restores a view.

Two halves: pure functions (parse a URL mapping into Filters, Filters back into URL values, Filters into the
bound parameters of queries/analysis_*.sql) that tests drive without Streamlit, and the Streamlit part (seed
the widgets from the URL once per session, draw the form, write the applied state back to the URL).
Values from the URL are checked against the code tables: unknown ones are dropped and reported, never sent on."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta

from data import domain

PERIODS = ("today", "7d", "30d", "flood_season", "all", "custom")
DEFAULT_PERIOD = "30d"
GRANULARITIES = ("day", "week", "month")
DEFAULT_GRANULARITY = "day"
SEVERITIES = (1, 2, 3, 4)
HOURS = tuple(range(24))
WEEKDAYS = tuple(range(1, 8))  # ISO: 1 = Monday ... 7 = Sunday
MAX_TEXT = 200  # longer search text is cut (and the viewer told): descriptions are short
HISTORY_START = datetime(2000, 1, 1)  # "all" means from here; the demo holds five years

# Filter field -> URL key. Short keys keep shared links readable.
URL_KEYS = {
    "hazards": "hazard", "townships": "township", "grid_cells": "grid", "channels": "channel",
    "statuses": "status", "severities": "severity", "hours": "hour", "weekdays": "weekday",
    "period": "period", "date_from": "from", "date_to": "to", "overdue_only": "overdue", "text": "q",
    "granularity": "gran",
}
LIST_FIELDS = ("hazards", "townships", "grid_cells", "channels", "statuses", "severities", "hours", "weekdays")
INT_FIELDS = ("townships", "grid_cells", "severities", "hours", "weekdays")


@dataclass(frozen=True)
class Filters:
    hazards: tuple[str, ...] = ()
    townships: tuple[int, ...] = ()
    grid_cells: tuple[int, ...] = ()
    channels: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    severities: tuple[int, ...] = ()
    hours: tuple[int, ...] = ()
    weekdays: tuple[int, ...] = ()
    period: str = DEFAULT_PERIOD
    date_from: date | None = None
    date_to: date | None = None
    overdue_only: bool = False
    text: str = ""
    granularity: str = DEFAULT_GRANULARITY

    def window(self, now: datetime) -> tuple[datetime, datetime]:
        """[start, end) of the period, in CST wall-clock time like the database."""
        end = now + timedelta(minutes=1)  # now_cst() is cut to the minute: keep this minute's incidents
        if self.period == "today":
            return datetime.combine(now.date(), time()), end
        if self.period == "7d":
            return now - timedelta(days=7), end
        if self.period == "30d":
            return now - timedelta(days=30), end
        if self.period == "flood_season":
            return flood_season(now)
        if self.period == "custom" and self.date_from and self.date_to:
            return datetime.combine(self.date_from, time()), datetime.combine(self.date_to + timedelta(days=1), time())
        return HISTORY_START, end  # "all" (and a custom period missing a date)

    def sql_params(self, now: datetime) -> dict:
        """The bound parameters shared by every queries/analysis_*.sql filter block."""
        start, end = self.window(now)
        return {"start": start, "end": end, "now": now, "text": self.text, "overdue_only": self.overdue_only,
                **{name: list(getattr(self, name)) for name in LIST_FIELDS}}

@dataclass(frozen=True)
class Options:
    """What may be chosen (from the code tables); anything else in a URL is unknown."""
    hazards: tuple[str, ...]
    townships: tuple[int, ...]
    grid_cells: tuple[int, ...]
    channels: tuple[str, ...]
    statuses: tuple[str, ...]
    severities: tuple[int, ...] = SEVERITIES
    hours: tuple[int, ...] = HOURS
    weekdays: tuple[int, ...] = WEEKDAYS


@dataclass(frozen=True)
class Problem:
    """A URL value that was not used: kind is an i18n key suffix, field the filter, detail the offending text."""
    kind: str
    field: str
    detail: str = ""


def flood_season(now: datetime) -> tuple[datetime, datetime]:
    """This year's flood season, or last year's when this year's has not begun; the end is capped at now."""
    (m0, d0), (m1, d1) = domain.FLOOD_SEASON
    year = now.year if (now.month, now.day) >= (m0, d0) else now.year - 1
    start = datetime(year, m0, d0)
    end = datetime(year, m1, d1) + timedelta(days=1)
    return start, min(end, now + timedelta(minutes=1))


def bucket_span(buckets: Sequence, granularity: str) -> tuple[date, date] | None:
    """The days covered by chart buckets (their start dates, as plotly returns them: '2026-11-02' or
    '2026-11-02 00:00'), from the first bucket's start to the last bucket's last day."""
    days = sorted({date.fromisoformat(str(b)[:10]) for b in buckets if b})
    if not days:
        return None
    last = days[-1]
    if granularity == "week":
        last += timedelta(days=6)
    elif granularity == "month":
        last = (last.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return days[0], last


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _first(value) -> str:
    """st.query_params gives strings; a plain dict in tests may give lists."""
    if isinstance(value, (list, tuple)):
        return str(value[-1]) if value else ""
    return "" if value is None else str(value)


def parse(query: Mapping[str, object], options: Options) -> tuple[Filters, list[Problem]]:
    """Filters from URL values; unknown or malformed values are dropped and listed as problems."""
    values: dict = {}
    problems: list[Problem] = []
    for name in LIST_FIELDS:
        raw = _first(query.get(URL_KEYS[name]))
        if not raw:
            continue
        allowed = getattr(options, name)
        chosen, rejected = [], []
        for item in (part.strip() for part in raw.split(",")):
            if not item:
                continue
            value: object = item
            if name in INT_FIELDS:
                try:
                    value = int(item)
                except ValueError:
                    rejected.append(item)
                    continue
            if value in allowed and value not in chosen:
                chosen.append(value)
            elif value not in allowed:
                rejected.append(item)
        if rejected:
            problems.append(Problem("unknown_values", name, _short(",".join(rejected))))
        values[name] = tuple(chosen)
    period = _first(query.get(URL_KEYS["period"]))
    if period:
        if period in PERIODS:
            values["period"] = period
        else:
            problems.append(Problem("unknown_values", "period", _short(period)))
    for name in ("date_from", "date_to"):
        raw = _first(query.get(URL_KEYS[name]))
        if raw:
            try:
                values[name] = date.fromisoformat(raw)
            except ValueError:
                problems.append(Problem("bad_date", name, _short(raw)))
    if values.get("date_from") and values.get("date_to") and values["date_from"] > values["date_to"]:
        values["date_from"], values["date_to"] = values["date_to"], values["date_from"]
        problems.append(Problem("dates_swapped", "period"))
    if values.get("period") == "custom" and not (values.get("date_from") and values.get("date_to")):
        problems.append(Problem("custom_needs_dates", "period"))
        values["period"] = DEFAULT_PERIOD
    overdue = _first(query.get(URL_KEYS["overdue_only"]))
    if overdue:
        if overdue in ("1", "true", "0", "false"):
            values["overdue_only"] = overdue in ("1", "true")
        else:
            problems.append(Problem("unknown_values", "overdue_only", _short(overdue)))
    text = _first(query.get(URL_KEYS["text"]))
    if len(text) > MAX_TEXT:
        problems.append(Problem("text_cut", "text", str(MAX_TEXT)))
        text = text[:MAX_TEXT]
    values["text"] = text.strip()
    granularity = _first(query.get(URL_KEYS["granularity"]))
    if granularity:
        if granularity in GRANULARITIES:
            values["granularity"] = granularity
        else:
            problems.append(Problem("unknown_values", "granularity", _short(granularity)))
    return Filters(**values), problems


def to_query(filters: Filters) -> dict[str, str]:
    """URL values for the fields that differ from the defaults (a default view has a clean URL)."""
    default = Filters()
    out: dict[str, str] = {}
    for f in fields(Filters):
        value = getattr(filters, f.name)
        if value == getattr(default, f.name):
            continue
        if f.name in LIST_FIELDS:
            out[URL_KEYS[f.name]] = ",".join(str(v) for v in value)
        elif isinstance(value, bool):
            out[URL_KEYS[f.name]] = "1" if value else "0"
        elif isinstance(value, date):
            out[URL_KEYS[f.name]] = value.isoformat()
        else:
            out[URL_KEYS[f.name]] = str(value)
    if filters.period != "custom":  # dates only mean something for a custom period
        out.pop(URL_KEYS["date_from"], None)
        out.pop(URL_KEYS["date_to"], None)
    return out


# ------------------------------------------------------------------------------------------ Streamlit part
WIDGET_KEYS = {name: f"analysis_f_{name}" for name in URL_KEYS}
_SEEDED = "analysis_filters_seeded"
_PROBLEMS = "analysis_filter_problems"
_APPLIED = "analysis_filters_applied"  # a plain (non-widget) copy that survives a visit to another page


def _widget_value(filters: Filters, name: str):
    value = getattr(filters, name)
    return list(value) if name in LIST_FIELDS else value


def seed_from_url(options: Options) -> list[Problem]:
    """Once per browser session: put the URL's filters into the widgets. Returns the URL's problems (kept
    for this session so a rerun still shows them until the viewer applies new filters)."""
    import streamlit as st

    if not st.session_state.get(_SEEDED):
        filters, problems = parse({k: st.query_params.get(k) for k in st.query_params}, options)
        set_widgets(filters)
        st.session_state[_SEEDED] = True
        st.session_state[_PROBLEMS] = problems
    elif any(key not in st.session_state for key in WIDGET_KEYS.values()) and _APPLIED in st.session_state:
        # Back from another page: Streamlit dropped the widgets' state; the applied filters were kept.
        set_widgets(st.session_state[_APPLIED])
    return st.session_state.get(_PROBLEMS, [])


def set_widgets(filters: Filters) -> None:
    """Put filters into the widget state (before the widgets are drawn, or from a callback)."""
    import streamlit as st

    for name, key in WIDGET_KEYS.items():
        st.session_state[key] = _widget_value(filters, name)


def current() -> Filters:
    """The applied filters, read from the widget state."""
    import streamlit as st

    values = {}
    for name, key in WIDGET_KEYS.items():
        if key in st.session_state:
            value = st.session_state[key]
            values[name] = tuple(value) if name in LIST_FIELDS else value
    values["text"] = (values.get("text") or "")[:MAX_TEXT].strip()
    return Filters(**values)


def narrow(**changes) -> None:
    """Cross-filter from a chart selection: replace some fields of the applied filters (callback-safe)."""
    set_widgets(replace(current(), **changes))
    clear_problems()


def clear_problems() -> None:
    import streamlit as st

    st.session_state[_PROBLEMS] = []


def reset() -> None:
    set_widgets(Filters())
    clear_problems()


def keep_only_options(name: str, allowed: Sequence) -> None:
    """Drop chosen values that are no longer offered (grid cells after the township choice changed)."""
    import streamlit as st

    key = WIDGET_KEYS[name]
    if key in st.session_state:
        st.session_state[key] = [v for v in st.session_state[key] if v in set(allowed)]


def write_url(filters: Filters) -> None:
    """The applied filters into the address bar (keys of other features, such as lang, are left alone) and
    into a session copy that restores the widgets after a visit to another page."""
    import streamlit as st

    st.session_state[_APPLIED] = filters
    wanted = to_query(filters)
    for key in URL_KEYS.values():
        if key in wanted:
            if st.query_params.get(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]


def render(options: Options, labels: Mapping[str, Callable[[object], str]], t: Callable[..., str]) -> Filters:
    """The filter form in the sidebar; returns the applied filters. labels: field -> option label function."""
    import streamlit as st

    side = st.sidebar
    side.header(t("analysis.filters.heading"))
    with side.form("analysis_filters", border=False):
        st.selectbox(t("analysis.filters.period"), PERIODS, key=WIDGET_KEYS["period"],
                     format_func={p: t(f"analysis.period.{p}") for p in PERIODS}.get)
        c1, c2 = st.columns(2)
        c1.date_input(t("analysis.filters.date_from"), key=WIDGET_KEYS["date_from"])
        c2.date_input(t("analysis.filters.date_to"), key=WIDGET_KEYS["date_to"])
        st.caption(t("analysis.filters.custom_hint"))
        for name in ("hazards", "townships", "grid_cells", "channels", "statuses", "severities"):
            st.multiselect(t(f"analysis.filters.{name}"), getattr(options, name), key=WIDGET_KEYS[name],
                           format_func=labels[name], placeholder=t("analysis.filters.all"))
        with st.expander(t("analysis.filters.time_of_day")):
            st.multiselect(t("analysis.filters.hours"), options.hours, key=WIDGET_KEYS["hours"],
                           format_func=labels["hours"], placeholder=t("analysis.filters.all"))
            st.multiselect(t("analysis.filters.weekdays"), options.weekdays, key=WIDGET_KEYS["weekdays"],
                           format_func=labels["weekdays"], placeholder=t("analysis.filters.all"))
        st.checkbox(t("analysis.filters.overdue_only"), key=WIDGET_KEYS["overdue_only"])
        st.text_input(t("analysis.filters.text"), key=WIDGET_KEYS["text"], max_chars=MAX_TEXT,
                      placeholder=t("analysis.filters.text_hint"))
        if st.form_submit_button(t("analysis.filters.apply"), type="primary"):
            clear_problems()
    side.button(t("analysis.filters.reset"), on_click=reset, key="analysis_reset")
    filters = current()
    if filters.period == "custom" and not (filters.date_from and filters.date_to):
        st.warning(t("analysis.problem.custom_needs_dates"))
    elif filters.period == "custom" and filters.date_from > filters.date_to:
        filters = replace(filters, date_from=filters.date_to, date_to=filters.date_from)
        st.warning(t("analysis.problem.dates_swapped"))
    return filters
