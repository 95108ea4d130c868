"""Every amount on the site, in receipts, on the dashboard and in the CSV goes through one set
of currency rules."""

from masthead.revenue.money import decimal, major_units, money


def test_amounts_are_shown_in_the_currencys_own_units():
    assert money(1000, "eur") == "€10.00"
    assert money(123456, "GBP") == "£1,234.56"
    assert money(5, "CHF") == "0.05 CHF"
    assert money(500, "JPY") == "500 JPY"
    assert money(-250, "EUR") == "-€2.50"


def test_the_short_form_drops_zero_cents_but_keeps_real_ones():
    assert money(1000, "EUR", short=True) == "€10"
    assert money(250, "EUR", short=True) == "€2.50"
    assert money(1200, "CHF", short=True) == "12 CHF"
    assert money(500, "JPY", short=True) == "500 JPY"  # no cents to drop: not "5 JPY"


def test_figures_for_charts_and_files():
    assert major_units(1050, "EUR") == 10.5 and major_units(500, "JPY") == 500
    assert decimal(1050, "EUR") == "10.50" and decimal(-500, "JPY") == "-500"
