"""Amounts are kept in minor units (cents); these turn them into what people and files read.

One place for every currency rule: which currencies have no cents (Stripe's "zero-decimal"
list), and which get a symbol rather than a code."""

from __future__ import annotations

ZERO_DECIMAL = frozenset({"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF",
                          "UGX", "VND", "VUV", "XAF", "XOF", "XPF"})  # fmt: skip
SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$"}


def major_units(minor: int, currency: str) -> float:
    """For charts: 1050 EUR -> 10.5, 500 JPY -> 500."""
    return minor if currency.upper() in ZERO_DECIMAL else minor / 100


def decimal(minor: int, currency: str) -> str:
    """For the CSV: 1050 EUR -> "10.50", 500 JPY -> "500"."""
    sign, minor = ("-" if minor < 0 else ""), abs(minor)
    if currency.upper() in ZERO_DECIMAL:
        return f"{sign}{minor}"
    return f"{sign}{minor // 100}.{minor % 100:02d}"


def money(minor: int, currency: str, *, short: bool = False) -> str:
    """For people: 123450 EUR -> "€1,234.50", 500 CHF -> "5.00 CHF", 500 JPY -> "500 JPY".
    `short` drops zero cents, for buttons and limits: 1000 EUR -> "€10", 250 EUR -> "€2.50"."""
    currency = currency.upper()
    sign, minor = ("-" if minor < 0 else ""), abs(minor)
    if currency in ZERO_DECIMAL:
        amount = f"{minor:,}"
    elif short and minor % 100 == 0:
        amount = f"{minor // 100:,}"
    else:
        amount = f"{minor // 100:,}.{minor % 100:02d}"
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{amount}" if symbol else f"{sign}{amount} {currency}"
