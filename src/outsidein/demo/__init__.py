"""A seeded demo firm, Nordlicht Logistics: its staff's answers and its customers' evidence.

Every finding in the demo is planted on purpose and documented in the module that plants it
(:mod:`.staff`, :mod:`.customers`, :mod:`.journeys`), so that the demo report shows what
outsidein finds and the tests can check that it does.
"""

from outsidein.demo.staff import FIRM_NAME, PLANTED_FINDINGS, DemoFirm, generate_demo_firm

__all__ = ["FIRM_NAME", "PLANTED_FINDINGS", "DemoFirm", "generate_demo_firm"]
