"""The revenue dashboard at /revenue/, its CSV export and the figures behind them: admins only,
refunds netted out, currencies kept apart, and a fixed number of queries however much money."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.revenue import money, reports
from tests.revenue.ledger import (
    EUR_30,
    GBP_30,
    MRR,
    contribution,
    days_ago,
    known_ledger,
    more_contributions,
)

PERSONAS = ["reader", "moderator", "editor"]
URLS = ["/revenue/", "/revenue/?days=365", "/revenue/contributions.csv"]

# A fixed moment for the report functions: 15 March 2026, mid-afternoon in London.
NOW = timezone.make_aware(datetime(2026, 3, 15, 15, 0))


@pytest.fixture
def ledger(db):
    return known_ledger()


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def _figure(soup: BeautifulSoup, currency: str, name: str) -> str:
    return soup.select_one(f'dl[data-currency="{currency}"] dd[data-figure="{name}"]').get_text()


# --- Who may look ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", URLS)
def test_it_sends_anonymous_visitors_to_sign_in(db, client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_it_refuses_readers_moderators_and_editors(db, client, request, persona, url):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url)
    assert response.status_code == 403
    if not url.endswith(".csv"):
        assert "Admins only" in response.content.decode()


@pytest.mark.parametrize("url", URLS)
def test_it_opens_for_admins(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_it_opens_for_superusers_without_the_admin_group(client, reader):
    reader.is_superuser = True
    reader.save(update_fields=["is_superuser"])
    client.force_login(reader)
    assert client.get("/revenue/").status_code == 200


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("admin", True), ("editor", False), ("moderator", False)],
)
def test_it_is_in_the_cms_menu_for_admins_only(db, client, request, persona, shown):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/cms/")
    assert response.status_code == 200
    assert ('"/revenue/"' in response.content.decode()) is shown


# --- The figures ----------------------------------------------------------------------------


def test_totals_net_refunds_and_keep_currencies_apart(db):
    known_ledger(NOW)
    period = reports.last_days(30, now=NOW)
    totals = reports.totals(period.start, period.end)
    assert list(totals) == ["EUR", "GBP"]
    for currency, expected in (("EUR", EUR_30), ("GBP", GBP_30)):
        t = totals[currency]
        assert t.all.payments == expected["count"]
        assert t.all.gross == expected["gross"]
        assert t.all.refunded == expected["refunded"]
        assert t.all.net == expected["net"]
        assert t.once.net == expected["once"]
        assert t.monthly.net == expected["monthly"]


def test_longer_periods_reach_older_payments(db):
    known_ledger(NOW)
    ninety = reports.last_days(90, now=NOW)
    year = reports.last_days(365, now=NOW)
    assert reports.totals(ninety.start, ninety.end)["EUR"].all.net == EUR_30["net"] + 500
    assert reports.totals(year.start, year.end)["EUR"].all.net == EUR_30["net"] + 500 + 5000


def test_days_and_months_in_the_site_time_zone(db):
    known_ledger(NOW)
    data = reports.dashboard(days=30, now=NOW)
    assert data.period.days[0] == date(2026, 2, 14) and data.period.days[-1] == date(2026, 3, 15)
    assert data.period.months == [date(2026, 2, 1), date(2026, 3, 1)]
    eur = data.daily["EUR"]
    assert eur[date(2026, 3, 14)].all.net == 600  # E: 1000 less 400 refunded
    assert eur[date(2026, 3, 13)].all.net == 1000  # A
    assert eur[date(2026, 3, 12)].all.gross == 2500 and eur[date(2026, 3, 12)].all.net == 0  # D
    assert date(2026, 2, 3) not in eur  # B's first payment is before the 30 days
    feb, mar = data.monthly["EUR"][date(2026, 2, 1)], data.monthly["EUR"][date(2026, 3, 1)]
    # Whole months: February includes B's payment of 3 February.
    assert (feb.all.payments, feb.all.net, feb.monthly.net, feb.once.net) == (2, 800, 800, 0)
    assert (mar.all.payments, mar.all.gross, mar.all.refunded, mar.all.net) == (4, 5000, 2900, 2100)
    assert (mar.once.net, mar.monthly.net) == (1600, 500)
    assert data.monthly["GBP"][date(2026, 3, 1)].all.net == 2700
    assert {c: t.all.net for c, t in data.totals.items()} == {"EUR": 2400, "GBP": 2700}


def test_monthly_recurring_revenue_counts_active_monthly_contributions_only(db):
    known_ledger(NOW)
    recurring = reports.monthly_recurring()
    assert {c: r.amount for c, r in recurring.items()} == MRR
    assert {c: r.supporters for c, r in recurring.items()} == {"EUR": 1, "GBP": 1}


def test_new_and_cancelled_supporters_per_month(db):
    known_ledger(NOW)
    months = {s.month: s for s in reports.supporters_by_month(reports.last_days(30, now=NOW))}
    feb, mar = months[date(2026, 2, 1)], months[date(2026, 3, 1)]
    assert (feb.new_once, feb.new_monthly, feb.cancelled) == (0, 2, 0)  # B, C
    assert (mar.new_once, mar.new_monthly, mar.cancelled) == (4, 1, 1)  # A D E F; G; C
    assert mar.net_monthly == 0


def test_which_appeal_works(db):
    known_ledger(NOW)
    rows = {r.placement: r for r in reports.by_placement(reports.last_days(30, now=NOW))}
    top, end, direct = rows["article-top"], rows["article-end"], rows["direct"]
    assert (top.started, top.paid) == (4, 3)  # A C D paid, H pending (J is older)
    assert top.conversion == 0.75
    assert {c: m.net for c, m in top.money.items()} == {"EUR": 1300}
    assert (end.started, end.paid) == (2 + 1, 2)  # F G paid, I failed (B started earlier)
    assert {c: m.net for c, m in end.money.items()} == {"EUR": 500, "GBP": 2700}
    assert (direct.started, direct.paid, direct.money["EUR"].net) == (1, 1, 600)
    assert top.label == "Top of the article"
    assert reports.placement_label("section:news") == "Section appeal (news)"


def test_money_reads_as_people_write_it():
    assert money.money(123450, "EUR") == "€1,234.50"
    assert money.money(500, "CHF") == "5.00 CHF"
    assert money.money(500, "JPY") == "500 JPY"
    assert money.decimal(1050, "EUR") == "10.50" and money.decimal(7, "GBP") == "0.07"
    assert money.major_units(1050, "EUR") == 10.5


# --- The page -------------------------------------------------------------------------------


def test_the_page_shows_the_figures_per_currency(admin_client, ledger):
    response = admin_client.get("/revenue/")
    soup = _soup(response)
    assert len(soup.find_all("h1")) == 1
    assert _figure(soup, "EUR", "net") == "€24.00"
    assert _figure(soup, "EUR", "refunded") == "€29.00"
    assert _figure(soup, "EUR", "once") == "€16.00"
    assert _figure(soup, "EUR", "monthly") == "€8.00"
    assert _figure(soup, "EUR", "payments") == "5"
    assert _figure(soup, "EUR", "mrr") == "€5.00"
    assert _figure(soup, "GBP", "net") == "£27.00"
    assert _figure(soup, "GBP", "mrr") == "£7.00"
    end = soup.select_one('tr[data-placement="article-end"]').get_text(" ", strip=True)
    assert "€5.00, £27.00" in end
    year = _soup(admin_client.get("/revenue/?days=365"))
    assert _figure(year, "EUR", "net") == "€79.00"  # + B's older payment and J


def test_the_page_draws_accessible_charts_without_inline_code(admin_client, ledger):
    html = admin_client.get("/revenue/").content.decode()
    soup = BeautifulSoup(html, "html.parser")
    charts = soup.select("svg.chart")
    assert len(charts) >= 4
    assert all(svg.find("title") and svg.find("desc") for svg in charts)
    assert "12 months" not in html and "2 months." in html  # the month charts say months
    assert not soup.find("style") and not soup.select("[style]")
    assert all(script.get("src") for script in soup.find_all("script"))


def test_an_unknown_period_falls_back_to_thirty_days(admin_client, ledger):
    soup = _soup(admin_client.get("/revenue/?days=7"))
    assert soup.select_one('[aria-current="true"]').get_text() == "30 days"


def test_the_page_says_so_when_nothing_came_in(admin_client):
    response = admin_client.get("/revenue/")
    assert response.status_code == 200
    assert "No money has come in yet" in response.content.decode()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", [*URLS, "/api/v1/revenue/summary"])
def test_a_fixed_number_of_queries_however_much_money(admin_client, ledger, url):
    _queries(admin_client, url)  # the first request also caches the site and its settings
    small = _queries(admin_client, url)
    more_contributions(90)
    assert _queries(admin_client, url) == small
    if url == "/revenue/":
        assert small <= 12  # session, user, groups, settings; seven for the figures


# --- CSV ------------------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_the_csv_lists_the_periods_contributions(admin_client, ledger):
    response = admin_client.get("/revenue/contributions.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="contributions-')
    rows = _csv(response)
    assert rows[0] == reports.CSV_COLUMNS
    by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    # B (started 40 days ago) and J (100) are outside the 30 days.
    assert len(by_id) == 8
    e = by_id[str(ledger["E"].pk)]
    money = (e["amount"], e["received"], e["refunded"], e["net"])
    assert money == ("10.00", "10.00", "4.00", "6.00")
    what = (e["currency"], e["frequency"], e["status"], e["placement"])
    assert what == ("EUR", "once", "paid", "direct")
    assert by_id[str(ledger["H"].pk)]["received"] == "0.00"
    everything = _csv(admin_client.get("/revenue/contributions.csv?days=365"))
    assert len(everything) == 1 + 10


def test_the_csv_keeps_spreadsheets_from_running_formulas(admin_client):
    for name in ['=HYPERLINK("http://evil")', "+1+1", "-2", "@SUM(A1)"]:
        contribution(name=name, started=days_ago(timezone.now(), 1))
    rows = _csv(admin_client.get("/revenue/contributions.csv"))
    names = sorted(row[reports.CSV_COLUMNS.index("name")] for row in rows[1:])
    assert names == ["'+1+1", "'-2", '\'=HYPERLINK("http://evil")', "'@SUM(A1)"]
