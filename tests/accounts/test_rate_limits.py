"""Login and signup are rate limited (allauth's limits, counted in Django's cache)."""

from masthead.accounts.models import User
from tests.conftest import PASSWORD


def test_a_burst_of_failed_logins_is_refused_even_with_the_right_password(client, home, reader):
    for _ in range(5):
        response = client.post(
            "/accounts/login/", {"login": reader.email, "password": "guess-again"}
        )
        assert "not correct" in response.content.decode()

    response = client.post("/accounts/login/", {"login": reader.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failed_logins_from_one_address_are_limited_across_accounts(client, home, reader):
    for n in range(10):
        client.post("/accounts/login/", {"login": f"who{n}@example.com", "password": "x" * 12})
    response = client.post("/accounts/login/", {"login": reader.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()


def test_a_good_login_works_before_the_limit(client, home, reader):
    client.post("/accounts/login/", {"login": reader.email, "password": "guess-again"})
    response = client.post("/accounts/login/", {"login": reader.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(reader.pk)


def test_a_burst_of_signups_from_one_address_gets_429(client, home):
    statuses = []
    for n in range(6):
        client.logout()
        response = client.post(
            "/accounts/signup/",
            {
                "email": f"bot{n}@example.com",
                "display_name": f"Bot {n}",
                "password1": "a-long-and-unusual-passphrase-7",
                "password2": "a-long-and-unusual-passphrase-7",
            },
        )
        statuses.append(response.status_code)

    assert statuses == [302] * 5 + [429]
    assert "Too many attempts" in response.content.decode()
    assert User.objects.count() == 5
