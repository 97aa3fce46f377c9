"""The customer base: each client's customers (signups, churn, referrals, fake PII) and the
CRM rows exported of them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from orchestration.sample_exports.formats import text
from orchestration.sample_exports.world import NEVER, Client, World, _names


@dataclass(frozen=True)
class CustomerBase:
    """One client's customers, sorted by signup day (ids follow signup order)."""

    client_index: int
    customer_ids: np.ndarray  # str
    signup_day: np.ndarray  # int64 offsets (negative = before the range), ascending
    churn_day: np.ndarray  # int64 offsets, NEVER when not churned
    referred_by: np.ndarray  # str or None
    acquisition_channel: np.ndarray  # str
    pii: pl.DataFrame  # full_name, email, phone; row i belongs to customer i

    def active_upto(self, day: int) -> int:
        """How many customers (a prefix of the arrays) have signed up by ``day``."""
        return int(np.searchsorted(self.signup_day, day, side="right"))


ACQUISITION_CHANNELS = ("paid_search", "organic", "social", "partner", "retail_store")


def build_customers(
    world: World, wf_agents: int, rng: np.random.Generator
) -> tuple[CustomerBase, ...]:
    weights = np.array([c.volume_factor for c in world.clients])
    weights = weights / weights.sum()
    bases = []
    for c_idx, client in enumerate(world.clients):
        n_old = int(100 + wf_agents * 300 * weights[c_idx])
        n_new = int(rng.poisson(n_old * 0.025 * world.days / 30)) + 1
        old_signup = np.sort(-rng.integers(1, 1800, n_old))
        new_signup = np.sort(rng.integers(0, world.days, n_new))
        signup = np.concatenate([old_signup, new_signup]).astype(np.int64)
        n = n_old + n_new
        churn = np.full(n, NEVER, dtype=np.int64)
        # ~1.8 % monthly churn inside the range, ~8 % churned before it
        p_churn = 1 - (1 - 0.018) ** (world.days / 30)
        in_range = rng.random(n) < p_churn
        churn[in_range] = rng.integers(0, world.days, in_range.sum())
        history = (rng.random(n) < 0.08) & (signup < -30)
        churn[history] = (
            signup[history] + (-signup[history] * rng.random(history.sum())).astype(np.int64) + 1
        )
        churn = np.where(churn <= signup, signup + 1, churn)

        ids = np.array([f"{client.client_id}-{i + 1:07d}" for i in range(n)], dtype=object)
        channel = np.array(ACQUISITION_CHANNELS, dtype=object)[
            rng.choice(len(ACQUISITION_CHANNELS), n, p=[0.3, 0.3, 0.15, 0.15, 0.1])
        ]
        referred = np.full(n, None, dtype=object)
        # ~12 % of customers were referred by an earlier customer of the same client
        cand = np.flatnonzero((rng.random(n) < 0.12) & (np.arange(n) > 0))
        referred[cand] = ids[(rng.random(len(cand)) * cand).astype(np.int64)]
        channel[cand] = "referral"
        bases.append(
            CustomerBase(c_idx, ids, signup, churn, referred, channel, _pii(client, n, rng))
        )

    # ~1 % of new customers name another client's customer: NOT a referral of this client
    if len(bases) >= 2:
        for c_idx, base in enumerate(bases):
            other = bases[(c_idx + 1) % len(bases)]
            new = np.flatnonzero(base.signup_day >= 0)
            pick = new[rng.random(len(new)) < 0.01]
            if len(pick) == 0 and len(new) > 0:
                pick = new[:1]
            base.referred_by[pick] = other.customer_ids[
                rng.integers(0, other.active_upto(0), len(pick))
            ]
            base.acquisition_channel[pick] = "referral"
    return tuple(bases)


def _pii(client: Client, n: int, rng: np.random.Generator) -> pl.DataFrame:
    """Fake but plausible names, e-mails on reserved example domains, and phone numbers."""
    names = text(_names(rng, n))
    domains = np.array(["example.com", "example.net", "example.org", "mail.example"], dtype=object)
    email = (
        names.str.to_lowercase().str.replace_all(" ", ".")
        + pl.Series(rng.integers(1, 999, n)).cast(pl.Utf8)
        + "@"
        + text(domains[rng.integers(0, len(domains), n)])
    )
    phone = (
        client.phone_prefix + " " + pl.Series(rng.integers(0, 10000, n)).cast(pl.Utf8).str.zfill(4)
    )
    return pl.DataFrame({"full_name": names, "email": email, "phone": phone})


def customers_frame(
    world: World, base: CustomerBase, rows: np.ndarray, as_of_day: int
) -> pl.DataFrame:
    """CRM rows for ``rows`` of ``base`` as known on ``as_of_day`` (typed Parquet columns)."""
    client = world.clients[base.client_index]
    n = len(rows)
    start = np.datetime64(world.start.isoformat(), "D")
    signup = start + base.signup_day[rows].astype("timedelta64[D]")
    churn_known = base.churn_day[rows] <= as_of_day
    churn = start + np.where(churn_known, base.churn_day[rows], 0).astype("timedelta64[D]")
    return pl.concat(
        [
            pl.DataFrame(
                {
                    "customer_id": text(base.customer_ids[rows]),
                    "client_id": text([client.client_id] * n),
                    "signup_date": pl.Series(signup, dtype=pl.Date),
                    "churn_date": pl.Series(churn, dtype=pl.Date).set(
                        pl.Series(~churn_known), None
                    ),
                    "referred_by_customer_id": text(base.referred_by[rows]),
                    "acquisition_channel": text(base.acquisition_channel[rows]),
                }
            ),
            base.pii[rows],
        ],
        how="horizontal",
    )
