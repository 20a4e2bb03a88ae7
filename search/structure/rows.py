"""Table rows as units: each row with the labels and headings of the groups above it.

A table's rows come grouped ("I. Dự án ngân sách" / "1. Cảng ..." / "- hạng mục ..."):
group rows give the section path and context of the rows below them, a numbered row is
the parent of the bulleted rows under it, and a total row is labelled "Tổng số".
"""

from __future__ import annotations

from ..text.normalize import clip
from .tables import Row, Table, index_kind, is_total, total_group
from .units import Unit


def table_units(
    table: Table,
    *,
    base_path: tuple[str, ...],
    base_ctx: tuple[str, ...],
    title: str | None,
    appendix_ref: str | None,
) -> list[Unit]:
    groups: list[tuple[str, str, str]] = []  # (kind, label, title)
    parent_row: Row | None = None
    out: list[Unit] = []
    for n, row in enumerate(table.rows, start=1):
        if row.label:
            kind = index_kind(row.label)
        elif total := next((v for _, v in row.cells if is_total(v)), None):
            kind = "total"
            # "Cộng II" totals group II, not the item above it; the table's last total,
            # all of them.
            named = total_group(total)
            at = [k for k, g in enumerate(groups) if g[1] == named]
            if at:
                del groups[at[-1] + 1 :]
            elif named or n == len(table.rows):
                groups.clear()
            parent_row = None
        else:
            kind = "plain"
        if row.is_group:
            gtitle = row.cells[0][1] if row.cells else ""
            gkind = kind if kind != "total" else "star"
            _close(groups, gkind)
            groups.append((gkind, row.label, gtitle))
            parent_row = None
            if len(row.cells) > 1:  # it states the group's figures: a row of its own too
                path, ctx = _labels(groups), _context(base_ctx, groups[:-1])
                out.append(_unit(row, base_path + tuple(path), ctx, table, title, appendix_ref))
            continue
        if not row.cells:
            continue
        if kind in ("num", "roman", "upper", "lower"):
            # A numbered row after a group row of its own kind is the group's sibling:
            # "3. Lượt khách tại một số điểm" (no figures) / ... / "4. Cơ sở lưu trú".
            _close(groups, kind)
        labels, ctx = _labels(groups), _context(base_ctx, groups)
        if kind in ("bullet", "plain") and parent_row is not None:
            # A row without a number of its own belongs to the numbered row above it: cited
            # by that item and its own name, it never shares a citation with a namesake.
            labels.append(parent_row.label)
            ctx.append(clip(f"{parent_row.label}. {parent_row.cells[0][1]}", 200))
        if kind == "total":
            labels.append("Tổng số")
        elif kind != "plain" and (kind != "bullet" or parent_row is None):
            labels.append(row.label)
        if kind == "num":
            parent_row = row
        out.append(_unit(row, base_path + tuple(labels), ctx, table, title, appendix_ref))
    return out


def _labels(groups: list[tuple[str, str, str]]) -> list[str]:
    return [g[1] for g in groups if g[1] and g[1] != "*"]


def _context(base_ctx: tuple[str, ...], groups: list[tuple[str, str, str]]) -> list[str]:
    return list(base_ctx) + [clip(f"{g[1]} {g[2]}".strip(), 200) for g in groups]


def _unit(
    row: Row,
    path: tuple[str, ...],
    ctx: list[str],
    table: Table,
    title: str | None,
    appendix_ref: str | None,
) -> Unit:
    cells = tuple(
        (h, v) for h, (_, v) in zip(row.header or [""] * len(row.cells), row.cells, strict=False)
    )
    lines = (
        sorted({(n, v) for n, v in row.cells})
        if row.line_start != row.line_end
        else [(row.line_start, " | ".join(v for _, v in row.cells))]
    )
    return Unit(
        kind="table_row",
        path=path,
        context=tuple(ctx),
        lines=lines,
        table_title=title,
        header=tuple(table.header),
        cells=cells,
        appendix_ref=appendix_ref,
        row_name=row.cells[0][1],
    )


def _close(groups: list[tuple[str, str, str]], kind: str) -> None:
    """End the open group of ``kind`` and the groups inside it: a row of that kind follows."""
    same = [k for k, g in enumerate(groups) if g[0] == kind]
    if same:
        del groups[same[0] :]
