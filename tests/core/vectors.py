"""Test vectors for 身份证号, 统一社会信用代码 and mobile numbers.

Copied from the shared validation rules (validation/README.md) so that the
test suite never reads files outside the project at run time. Each row:
(input, expected, reason). ``expected`` is either "valid", "valid:<normalised>"
or the error code the validator must raise.
"""

# --- 公民身份号码 (GB 11643-1999) ----------------------------------------------------
ID_NUMBER_VALID = [
    ("11010519491231002X", "11010519491231002X", "GB 11643-1999 example, born 1949-12-31, female"),
    ("11010519491231002x", "11010519491231002X", "lower-case x, valid after normalisation"),
]

ID_NUMBER_INVALID = [
    ("110105194912310021", "checksum", "check character changed (X expected)"),
    ("110105194912310020", "checksum", "check character changed (X expected)"),
    ("440524188001010015", "checksum", "check character changed (4 expected)"),
    ("44052418800101001X", "checksum", "check character changed (4 expected)"),
    ("11010519491231002", "format", "17 characters"),
    ("110105194912310O2X", "format", "letter O in place of digit 0"),
    ("110105194902310026", "date", "checksum correct, but 1949-02-31 does not exist"),
    ("110105194913310021", "date", "checksum correct, but month 13"),
    ("110105209901010020", "date", "checksum correct, but birth date 2099-01-01 is in the future"),
    # The shared rules list this GB 11643-1999 example as valid; here a living
    # person is born in 1900 or later and at most 120 years ago (issue 10 item 7).
    ("440524188001010014", "date", "GB 11643-1999 example, born 1880-01-01: before 1900"),
    ("320404180001011012", "date", "checksum correct, but born 1800-01-01"),
]

# Worked example: S = 167, 167 mod 11 = 2 -> "X".
ID_WORKED_EXAMPLE = ("11010519491231002", "X")

# --- 统一社会信用代码 (GB 32100-2015) -------------------------------------------------
USCC_VALID = [
    ("914403001922038216", "914403001922038216", "华为技术有限公司"),
    ("91350100M000100Y43", "91350100M000100Y43", "GB 32100 worked example"),
    ("91100000100003962T", "91100000100003962T", "checksum-valid, public test data"),
    ("9144030071526726XG", "9144030071526726XG", "checksum-valid, public test data"),
    ("91330100799655058B", "91330100799655058B", "checksum-valid, public test data"),
    ("911100001000044477", "911100001000044477", "checksum-valid, public test data"),
    ("9144030071526726xg", "9144030071526726XG", "lower case, valid after normalisation"),
]

USCC_INVALID = [
    ("914403001922038217", "checksum", "check character changed (6 expected)"),
    ("91350100M000100Y44", "checksum", "check character changed (3 expected)"),
    ("91100000100003962U", "checksum", "check character changed (T expected)"),
    ("9144030071526726XH", "checksum", "check character changed (G expected)"),
    ("91350100M000100Y4Z", "charset", "Z is not allowed"),
    ("914403001922O38216", "charset", "letter O in place of digit 0"),
    ("91440300192203821I", "charset", "I is not allowed"),
    ("91440300192203821", "length", "17 characters"),
    ("91A50100M000100Y42", "format", "checksum correct, but position 3 is a letter"),
]

# Real, registered codes that fail the checksum: warn, do not reject, on staff entry.
USCC_REAL_CHECKSUM_MISMATCH = [
    ("91350211M0000XUF46", "R", "segmentfault.com/q/1010000015163528"),
    ("91350100M0001TGQXM", "1", "segmentfault.com/q/1010000015163528"),
]

# Worked example: first 17 chars -> check character.
USCC_WORKED_EXAMPLE = ("91350100M000100Y4", "3")

# --- 手机号 ---------------------------------------------------------------------------
MOBILE_VALID = [
    ("13800138000", "13800138000", "common placeholder number"),
    ("19212345678", "19212345678", "192 range (中国广电)"),
    ("16612345678", "16612345678", "166 range"),
    ("+86 138 0013 8000", "13800138000", "country code and spaces removed"),
    ("0086-13800138000", "13800138000", "0086 and hyphen removed"),
    ("8613800138000", "13800138000", "13 digits starting with 86"),
]

MOBILE_INVALID = [
    ("12345678901", "second digit 2"),
    ("10648123456", "starts with 10"),
    ("23800138000", "does not start with 1"),
    ("1380013800", "10 digits"),
    ("138001380000", "12 digits"),
    ("1380013800a", "contains a letter"),
]
