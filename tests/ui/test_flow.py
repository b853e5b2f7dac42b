"""Button rows wrap onto more lines in a narrow pane instead of widening the
window (desktop/ui/flow.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from desktop.ui.flow import flow_row


def test_buttons_wrap_inside_a_narrow_pane(qtbot) -> None:  # type: ignore[no-untyped-def]
    pane = QWidget()
    qtbot.addWidget(pane)
    holder, row = flow_row(pane)
    buttons = [QPushButton(f"Decision number {i} (X)") for i in range(6)]
    for b in buttons:
        row.addWidget(b)
    QVBoxLayout(pane).addWidget(holder)
    widest = max(b.sizeHint().width() for b in buttons)
    # The pane asks for its widest button, not for the sum of them.
    assert pane.minimumSizeHint().width() < 2 * widest
    pane.resize(int(widest * 2.5), 400)
    pane.show()
    qtbot.waitExposed(pane)
    lines = sorted({b.geometry().top() for b in buttons})
    assert len(lines) == 3  # two buttons a line
    for b in buttons:
        assert b.geometry().right() <= holder.width()
    # A wide pane puts them on one line.
    pane.resize(widest * 7, 400)
    qtbot.wait(10)
    assert len({b.geometry().top() for b in buttons}) == 1
