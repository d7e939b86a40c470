"""The Coverage and Aspirations tabs of the careers page, and the aspirations chart."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from skillsdesk.domain.careers import (
    AREA_LABELS,
    CHALLENGE_LABELS,
    JOB_AREAS,
    KIND_LABELS,
    KIND_SHORT,
    KINDS,
    PUPIL_GENDER_LABELS,
    AspirationChart,
    AspirationInfo,
    Coverage,
    area_label,
    area_short,
    guess_area,
)
from skillsdesk.domain.yeargroups import year_group_label
from skillsdesk.i18n import _, format_date, ngettext
from skillsdesk.ui.pages.careers_common import (
    DATA_ROLE,
    NONE_BG,
    fill_table,
    make_table,
    selected_data,
    show_error,
)

AREA_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#8c564b", "#9467bd", "#ff7f0e", "#e377c2",
                "#17becf", "#7f7f7f")


class CoverageTab(QWidget):
    """Who has had which kinds of encounter, who has had none, sectors and role models."""

    def __init__(self, services: Any, tasks: Any) -> None:
        super().__init__()
        self._careers = services.careers
        self._tasks = tasks
        self.data: Coverage | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.classes = make_table([_("Class"), _("Pupils"), _("Took part")]
                                  + [_(KIND_SHORT[k]) for k in KINDS], "coverageTable")
        for column, kind in enumerate(KINDS, start=3):
            self.classes.horizontalHeaderItem(column).setToolTip(_(KIND_LABELS[kind]))
        self.without = QListWidget()
        self.without.setObjectName("withoutList")
        self.without_box = QGroupBox()
        QVBoxLayout(self.without_box).addWidget(self.without)
        self.sectors = make_table([_("Sector"), _("Activities"), _("Pupils")], "sectorTable")
        self.role_models = make_table([_("Area of work"), _("Women"), _("Men"), _("Other")],
                                      "roleModelTable")
        self.challenges = QLabel()
        self.challenges.setWordWrap(True)
        sectors_box = QGroupBox(_("Sectors met"))
        QVBoxLayout(sectors_box).addWidget(self.sectors)
        people_box = QGroupBox(_("Role models met: the gender check"))
        people = QVBoxLayout(people_box)
        people.addWidget(self.role_models)
        people.addWidget(self.challenges)
        grid = QGridLayout(self)
        grid.addWidget(self.summary, 0, 0, 1, 3)
        grid.addWidget(self.classes, 1, 0, 1, 3)
        grid.addWidget(self.without_box, 2, 0)
        grid.addWidget(sectors_box, 2, 1)
        grid.addWidget(people_box, 2, 2)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(2, 2)

    def refresh(self, year: str) -> None:
        self._tasks.run(lambda: self._careers.coverage(year), self._show,
                        lambda exc: show_error(self, exc))

    def _show(self, cov: Coverage) -> None:
        self.data = cov
        reached = len(cov.pupils) - len(cov.without)
        self.summary.setText(_(
            "{year}: {n} activities, {m} of them meaningful. {reached} of {total} pupils have "
            "taken part in at least one; {none} have had none yet.").format(
            year=cov.year, n=cov.activities, m=cov.meaningful, reached=reached,
            total=len(cov.pupils), none=len(cov.without)))
        fill_table(self.classes, [
            (c.name, c.pupils, c.reached, *(f"{c.count(k)}/{c.pupils}" for k in KINDS))
            for c in cov.classes])
        for row, c in enumerate(cov.classes):
            for column, kind in enumerate(KINDS, start=3):
                item = self.classes.item(row, column)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if c.count(kind) == 0:
                    item.setForeground(QColor("#999999"))
            if c.reached < c.pupils:
                self.classes.item(row, 2).setBackground(NONE_BG)
        self.without_box.setTitle(ngettext("{n} pupil with no encounter yet",
                                           "{n} pupils with no encounter yet",
                                           len(cov.without)).format(n=len(cov.without)))
        self.without.clear()
        self.without.addItems([f"{p.display_name} ({p.class_name or '–'})" for p in cov.without])
        fill_table(self.sectors, [(s.sector, s.activities, s.pupils) for s in cov.sectors])
        fill_table(self.role_models, [(area_label(r.area), r.female, r.male, r.other)
                                      for r in cov.role_models])
        lines = [f"{_(CHALLENGE_LABELS[key])}: {n}" for key, n in cov.challenges]
        lines.append(_("Pupils who met someone who challenges a stereotype: {n}").format(
            n=cov.pupils_challenged))
        self.challenges.setText("\n".join(lines))


class AspirationChartView(QWidget):
    """One stacked bar per year group and gender; suppressed cells are left out and counted."""

    def __init__(self) -> None:
        super().__init__()
        self.chart: AspirationChart | None = None
        self.setMinimumSize(240, 220)

    def set_chart(self, chart: AspirationChart) -> None:
        self.chart = chart
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        chart = self.chart
        if chart is None or not chart.rows:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                             _("No aspirations recorded this year."))
            return
        legend_h = 18 * ((len(chart.areas) + 2) // 3)
        label_w = 150
        rows = [r for r in chart.rows if r.year_group is not None]
        bar_h = max(8.0, min(22.0, (self.height() - legend_h - 30) / max(1, len(rows))))
        top_total = max((sum(c or 0 for c in r.counts) for r in rows), default=1) or 1
        width = max(10, self.width() - label_w - 20)
        y = 6.0
        for row in rows:
            gender = _(PUPIL_GENDER_LABELS[row.gender])
            label = f"{year_group_label(row.year_group or '')} · {gender}"
            painter.setPen(QColor("#222222"))
            painter.drawText(QRectF(4, y, label_w - 8, bar_h), Qt.AlignmentFlag.AlignVCenter,
                             label)
            x = float(label_w)
            for index, count in enumerate(row.counts):
                if not count:
                    continue
                w = width * count / top_total
                painter.fillRect(QRectF(x, y + 2, w, bar_h - 4), QColor(AREA_COLOURS[index]))
                x += w
            hidden = sum(1 for c in row.counts if c is None)
            if hidden:
                painter.setPen(QColor("#777777"))
                painter.drawText(QRectF(x + 4, y, 60, bar_h), Qt.AlignmentFlag.AlignVCenter,
                                 "+ c")
            y += bar_h
        y += 10
        for index, area in enumerate(chart.areas):
            cx = 4 + (index % 3) * (self.width() / 3)
            cy = y + (index // 3) * 18
            painter.fillRect(QRectF(cx, cy + 3, 11, 11), QColor(AREA_COLOURS[index]))
            painter.setPen(QColor("#222222"))
            painter.drawText(QRectF(cx + 15, cy, self.width() / 3 - 20, 18),
                             Qt.AlignmentFlag.AlignVCenter, area_short(area))
        painter.end()


class AspirationsTab(QWidget):
    """Record what each pupil would like to do (once a year) and see the suppressed chart."""

    changed = Signal(str)

    def __init__(self, services: Any, tasks: Any) -> None:
        super().__init__()
        self._careers = services.careers
        self._school = services.school
        self._tasks = tasks
        self.year = self._careers.school_year().label
        self.pupils: list[Any] = []
        self.said: dict[str, AspirationInfo] = {}
        self._select_after: str | None = None
        self.table = make_table([_("Pupil"), _("Class"), _("Would like to be"), _("Area"),
                                 _("Recorded")], "aspirationTable")
        self.table.itemSelectionChanged.connect(self._on_pupil)
        self.who = QLabel(_("Choose a pupil"))
        self.text = QLineEdit()
        self.text.setObjectName("aspirationText")
        self.text.setPlaceholderText(_("In the pupil's words, e.g. 'a vet'"))
        self.area = QComboBox()
        self.area.setObjectName("aspirationArea")
        # Long area names must not decide how narrow the window may get.
        self.area.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.area.setMinimumContentsLength(14)
        self.area.addItem(_("Work it out from the words"), None)
        for area in JOB_AREAS:
            self.area.addItem(_(AREA_LABELS[area]), area)
        self.text.textChanged.connect(self._suggest)
        self.save_button = QPushButton(_("Save"))
        self.save_button.clicked.connect(self.save)
        self.text.returnPressed.connect(self.save)
        self.clear_button = QPushButton(_("Remove"))
        self.clear_button.clicked.connect(self.remove)
        editor = QHBoxLayout()
        editor.addWidget(self.text, 1)
        editor.addWidget(self.area)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table)
        left_layout.addWidget(self.who)
        left_layout.addLayout(editor)
        left_layout.addLayout(buttons)
        self.chart_view = AspirationChartView()
        self.chart_table = make_table([_("Year group")] + [area_short(a) for a in JOB_AREAS],
                                      "aspirationChart")
        self.note = QLabel()
        self.note.setWordWrap(True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.chart_view, 3)
        right_layout.addWidget(self.chart_table, 2)
        right_layout.addWidget(self.note)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([520, 480])
        QVBoxLayout(self).addWidget(splitter)

    def refresh(self, year: str) -> None:
        self.year = year

        def load() -> tuple[list[Any], list[AspirationInfo], AspirationChart]:
            return (self._school.pupils(year_label=year), self._careers.aspirations(year),
                    self._careers.aspiration_chart(year))

        self._tasks.run(load, self._show, lambda exc: show_error(self, exc))

    def _show(self, loaded: tuple[list[Any], list[AspirationInfo], AspirationChart]) -> None:
        pupils, said, chart = loaded
        self.pupils = pupils
        self.said = {a.admission_number: a for a in said}
        fill_table(self.table, [
            (p.display_name, p.class_name or "", *(
                (a.text, area_label(a.area), format_date(a.recorded_on))
                if (a := self.said.get(p.admission_number)) else ("", "", "")))
            for p in pupils], [p.admission_number for p in pupils])
        if self._select_after is not None:
            wanted, self._select_after = self._select_after, None
            for row in range(self.table.rowCount()):
                if self.table.item(row, 0).data(DATA_ROLE) == wanted:
                    self.table.selectRow(row)
                    self.text.setFocus()
                    break
        editable = self.year == self._careers.school_year().label
        for widget in (self.text, self.area, self.save_button, self.clear_button):
            widget.setEnabled(editable)
        self.chart_view.set_chart(chart)
        fill_table(self.chart_table, [
            ((_("All years") if r.year_group is None else year_group_label(r.year_group))
             + " · " + _(PUPIL_GENDER_LABELS[r.gender]),
             *(r.cell(i) for i in range(len(chart.areas)))) for r in chart.rows])
        self.note.setText(_(
            "{n} aspirations recorded. Cells under {min} pupils show c and are left out of the "
            "bars, so no child can be singled out.").format(
            n=chart.recorded if chart.recorded is not None else "c", min=chart.minimum)
            if chart.rows else "")

    def _on_pupil(self) -> None:
        adno = selected_data(self.table)
        pupil = next((p for p in self.pupils if p.admission_number == adno), None)
        if pupil is None:
            return
        self.who.setText(_("{name} would like to be:").format(name=pupil.display_name))
        said = self.said.get(adno)
        self.text.setText(said.text if said else "")
        self.area.setCurrentIndex(self.area.findData(said.area) if said else 0)

    def _suggest(self, text: str) -> None:
        """Show which area the words suggest while the person has not chosen one."""
        guess = area_label(guess_area(text)) if text.strip() else ""
        self.area.setItemText(0, _("Work it out from the words") + (f": {guess}" if guess else ""))

    def save(self) -> None:
        adno = selected_data(self.table)
        if adno is None:
            return
        # After saving, the next pupil is chosen, so a class can be keyed in one after another.
        row = self.table.currentRow() + 1
        after = self.table.item(row, 0) if row < self.table.rowCount() else None
        self._select_after = adno if after is None else after.data(DATA_ROLE)
        text, area = self.text.text(), self.area.currentData()
        self._tasks.run(lambda: self._careers.record_aspiration(adno, text, area),
                        lambda a: self.changed.emit(_("Saved what {name} would like to be.")
                                                    .format(name=a.pupil_name)),
                        lambda exc: show_error(self, exc))

    def remove(self) -> None:
        adno = selected_data(self.table)
        if adno is None:
            return
        self._tasks.run(lambda: self._careers.delete_aspiration(adno, self.year),
                        lambda _gone: self.changed.emit(_("Removed the aspiration.")),
                        lambda exc: show_error(self, exc))
