"""An indicator's chart reads on round steps: 11,200 authorised is not drawn under "12,096"."""

import re
from datetime import date

from app.items.charts import indicator_svg


def axis_labels(svg: str) -> list[str]:
    return re.findall(
        r'<text x="48" y="[\d.]+" text-anchor="end" font-size="10" fill="#1b1f24">([^<]+)<', svg
    )


def test_the_axis_of_an_indicator_goes_up_in_round_steps():
    svg = str(
        indicator_svg(
            chart_id="c",
            title="Military personnel deployed",
            points=[(date(2015, 2, 28), 8_831)],
            baseline=(date(2015, 2, 28), 8_831),
            target=(None, 11_200),
            number=lambda v: f"{v:,.0f}",
        )
    )
    assert axis_labels(svg) == ["0", "5,000", "10,000", "15,000"]
    assert "12,096" not in svg


def test_police_strength_has_no_decimal_top():
    svg = str(
        indicator_svg(
            chart_id="c",
            title="Police",
            points=[(date(2015, 2, 28), 1_052)],
            target=(None, 1_440),
            number=lambda v: f"{v:,.1f}".removesuffix(".0"),
        )
    )
    assert axis_labels(svg) == ["0", "500", "1,000", "1,500"]
    assert "1,555.2" not in svg


def test_measurements_below_zero_stay_on_the_axis():
    svg = str(
        indicator_svg(
            chart_id="c",
            title="Change",
            points=[(date(2020, 1, 1), -35), (date(2020, 6, 1), 80)],
            number=lambda v: f"{v:g}",
        )
    )
    assert axis_labels(svg) == ["-50", "0", "50", "100"]
