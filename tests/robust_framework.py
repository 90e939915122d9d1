"""The framework of the hand-worked robustness cases (tests/core/test_robustness.py and the
reports' tests/reports/test_report_robustness.py): one block, two groups of 10 points, ranked by
points printed without decimals, so that 7.4 and 7.2 tie."""

FRAMEWORK = """
id: robust-2026
name: Khung thử
assessor: Sở thử
year: 2026
blocks:
  - {code: so, name: Sở}
ranking: {by: points, ties: competition, precision: 0}
criteria:
  - {code: A, name: Nhóm A, max: 10, rule: {type: points}}
  - {code: B, name: Nhóm B, max: 10, rule: {type: points}}
"""
