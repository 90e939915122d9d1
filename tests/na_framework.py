"""The framework of the tests of criteria declared not applicable (the command, the reports,
the web results), written in parts: the head (one block, groups A and B, B's part B.2 under
full credit) and the groups each test adds — C (its parts may be declared, excluded), D (full
credit as a group), E (information, worth 0)."""

HEAD = """\
id: thu-nghiem-2024
name: Đánh giá thử nghiệm năm 2024
assessor: Sở Thông tin và Truyền thông
year: 2024
blocks:
  - code: so
    name: Sở, ban, ngành
not_applicable_policy: exclude
display: {score_decimals: 2, percent_decimals: 1}
criteria:
  - code: A
    name: Hạ tầng kỹ thuật
    children:
      - {code: A.1, name: Mạng nội bộ, max: 4, rule: {type: points}}
      - {code: A.2, name: An toàn thông tin, max: 6, rule: {type: points}}
  - code: B
    name: Dịch vụ công trực tuyến
    not_applicable: true
    children:
      - {code: B.1, name: Hồ sơ trực tuyến, max: 5, rule: {type: points}}
      - code: B.2
        name: Hồ sơ qua bưu chính công ích
        max: 3
        rule: {type: points}
        not_applicable: true
        not_applicable_policy: full_credit
"""
C = """\
  - code: C
    name: Ứng dụng chuyên ngành
    children:
      - {code: C.1, name: Phần mềm chuyên ngành, max: 2, rule: {type: points}, not_applicable: true}
      - {code: C.2, name: Cơ sở dữ liệu chuyên ngành, max: 2, rule: {type: points}, not_applicable: true}
"""
D = """\
  - code: D
    name: Chuyển đổi số
    not_applicable: true
    not_applicable_policy: full_credit
    children:
      - {code: D.1, name: Kế hoạch chuyển đổi số, max: 3, rule: {type: points}}
      - {code: D.2, name: Nền tảng số, max: 2, rule: {type: points}}
"""
E = """\
  - code: E
    name: Đô thị thông minh
    rule: {type: info}
"""


def framework(*groups: str) -> str:
    """The head followed by ``groups``."""
    return HEAD + "".join(groups)
