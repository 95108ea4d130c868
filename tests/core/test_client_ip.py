"""Which address a request counts as: X-Forwarded-For only from the proxies we trust."""

import pytest
from django.test import RequestFactory

from masthead.core.ratelimit import client_ip


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.fixture
def proxies(settings):
    def trust(*networks: str) -> None:
        settings.MASTHEAD = {**settings.MASTHEAD, "TRUSTED_PROXIES": list(networks)}

    return trust


def test_it_ignores_the_header_when_no_proxy_is_trusted(proxies):
    proxies()
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_it_ignores_the_header_from_an_address_that_is_not_a_trusted_proxy(proxies):
    proxies("127.0.0.1/32")
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_it_takes_the_address_the_trusted_proxy_saw(proxies):
    proxies("127.0.0.1/32")
    assert client_ip(_request("127.0.0.1", "198.51.100.1")) == "198.51.100.1"


def test_an_address_written_by_the_client_itself_is_never_used(proxies):
    # The client sends "X-Forwarded-For: 1.2.3.4"; nginx appends the address it saw.
    proxies("127.0.0.1/32")
    for spoof in ("1.2.3.4", "10.0.0.1, 5.6.7.8", "not-an-address", "::1"):
        request = _request("127.0.0.1", f"{spoof}, 198.51.100.1")
        assert client_ip(request) == "198.51.100.1", spoof


def test_it_walks_back_through_a_chain_of_trusted_proxies(proxies):
    # CDN edge -> load balancer on the private network -> nginx on this machine.
    proxies("127.0.0.1/32", "10.0.0.0/8")
    request = _request("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.1.2.3")
    assert client_ip(request) == "198.51.100.7"


def test_garbage_appended_after_the_client_falls_back_to_the_proxy(proxies):
    proxies("127.0.0.1/32")
    assert client_ip(_request("127.0.0.1", "198.51.100.1, <script>")) == "127.0.0.1"


def test_ipv6_proxies_and_clients(proxies):
    proxies("::1/128")
    assert client_ip(_request("::1", "2001:db8::5")) == "2001:db8::5"


def test_a_trusted_proxy_with_no_header_is_the_client(proxies):
    proxies("127.0.0.1/32")
    assert client_ip(_request("127.0.0.1")) == "127.0.0.1"
