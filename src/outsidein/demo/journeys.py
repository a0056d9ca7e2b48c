"""Nordlicht's customers' real journeys (an event log) and the journey staff believe they take.

Planted findings (the evidence for question P):

1. **Drop-off.** About a third of customers who request a quote never order; staff expect
   80 % of customers who start to complete the journey, about 60 % do.
2. **A step staff do not know:** customs clearance, served by a partner broker, in about a
   third of shipments (to and from non-EU countries).
3. **Rework:** about one delivery in five fails at the first attempt and is rescheduled.
4. **A step nobody serves:** customers who file a claim wait for an investigation that no
   actor in the log takes up ("Claim investigated" has no actor); that is also where the
   feedback complains.
5. **Time:** staff believe a typical journey takes 5 days; the median is longer, and the
   wait between "Picked up" and "In transit" is the hot spot.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl

STAFF_MODEL_YAML = """\
# The journey Nordlicht's staff believe their customers take (from the staff workshop).
name: Ship goods with Nordlicht
partners: [Kuriiri Last Mile]
expected_completion_share: 0.8
steps:
  - step: Request quote
    served_by: customer
    expected_share: 1.0
  - step: Quote sent
    served_by: Sales
    expected_duration: 4h
  - step: Order placed
    served_by: customer
    expected_duration: 1d
  - step: Pickup scheduled
    served_by: Transport Planning
    expected_duration: 4h
  - step: Picked up
    served_by: Warehouse Operations
    expected_duration: 1d
  - step: In transit
    served_by: Transport Planning
    expected_duration: 4h
  - step: Delivered
    served_by: Kuriiri Last Mile
    expected_duration: 2d
  - step: Invoice sent
    served_by: Finance
    expected_duration: 1d
  - step: Payment received
    served_by: customer
    expected_duration: 14d
"""

CHANNELS = ("web", "phone", "email")
SEGMENTS = ("SME", "Enterprise", "Public sector")


def generate_event_log(*, seed: int = 13, cases: int = 900) -> pl.DataFrame:
    """One row per event: case, activity, timestamp (UTC), actor, channel, segment."""
    rng = np.random.default_rng(seed)
    rows: list[tuple[str, str, datetime, str | None, str, str]] = []
    start = datetime(2026, 5, 4, 8, tzinfo=UTC)
    for index in range(cases):
        case = f"J{index + 1:05d}"
        channel = str(rng.choice(CHANNELS, p=[0.55, 0.3, 0.15]))
        segment = str(rng.choice(SEGMENTS, p=[0.6, 0.3, 0.1]))
        clock = start + timedelta(hours=float(rng.uniform(0, 24 * 150)))

        def event(
            activity: str,
            actor: str | None,
            hours: float,
            case: str = case,
            channel: str = channel,
            segment: str = segment,
        ) -> None:
            nonlocal clock
            clock = clock + timedelta(hours=float(hours))
            rows.append((case, activity, clock, actor, channel, segment))

        event("Request quote", "customer", 0)
        event("Quote sent", "Sales", rng.gamma(2.0, 3.0))
        if rng.random() < 0.33:
            continue  # drop-off after the quote
        event("Order placed", "customer", rng.gamma(2.0, 14.0))
        event("Pickup scheduled", "Transport Planning", rng.gamma(2.0, 2.5))
        event("Picked up", "Warehouse Operations", rng.gamma(2.0, 12.0))
        if rng.random() < 0.32:
            event("Customs clearance", "Baltic Customs Brokers", rng.gamma(3.0, 10.0))
        event("In transit", "Transport Planning", rng.gamma(3.0, 14.0))
        attempts = 1 + int(rng.random() < 0.2) + int(rng.random() < 0.05)
        for attempt in range(attempts):
            event("Delivery attempted", "Kuriiri Last Mile", rng.gamma(3.0, 9.0))
            if attempt < attempts - 1:
                event("Delivery rescheduled", "Customer Service", rng.gamma(2.0, 6.0))
        event("Delivered", "Kuriiri Last Mile", rng.gamma(1.0, 0.5))
        if rng.random() < 0.08:
            event("Claim filed", "customer", rng.gamma(2.0, 20.0))
            event("Claim investigated", None, rng.gamma(4.0, 60.0))
            if rng.random() < 0.25:
                continue  # the customer gives up on the claim and on the journey
        event("Invoice sent", "Finance", rng.gamma(2.0, 10.0))
        if rng.random() < 0.06:
            continue  # unpaid at the end of the log
        event("Payment received", "customer", rng.gamma(4.0, 60.0))
    frame = pl.DataFrame(
        rows,
        schema={
            "case": pl.String,
            "activity": pl.String,
            "timestamp": pl.Datetime("us", "UTC"),
            "actor": pl.String,
            "channel": pl.String,
            "segment": pl.String,
        },
        orient="row",
    )
    return frame.sort("timestamp")
