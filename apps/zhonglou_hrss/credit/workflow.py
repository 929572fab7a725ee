"""A declaration's life as a table (R-CR-02, R-CR-03): who may do what in
which status. Pure: the services lock the row, then ask ``declaration_error``.

    draft ──submit──▶ submitted ──confirm initial──▶ initial_done ──confirm final──▶ final_done (locked)
      ▲                  │ return (declaration or items)
      └── returned ◀─────┘        (the company corrects and submits again)
"""

from __future__ import annotations

from zhonglou_hrss.credit.rules import REVIEW, SCORE

DRAFT, SUBMITTED, RETURNED, INITIAL_DONE, FINAL_DONE = "draft", "submitted", "returned", "initial_done", "final_done"
COMPANY = "company"

# action: (statuses it is allowed from, who: COMPANY or a permission, status after (None: unchanged))
ACTIONS = {
    "edit": ({DRAFT, RETURNED}, COMPANY, None),
    "evidence": ({DRAFT, RETURNED}, COMPANY, None),
    "submit": ({DRAFT, RETURNED}, COMPANY, SUBMITTED),
    "return": ({SUBMITTED}, REVIEW, RETURNED),
    "score_initial": ({SUBMITTED}, SCORE, None),
    "confirm_initial": ({SUBMITTED}, SCORE, INITIAL_DONE),
    "score_final": ({INITIAL_DONE}, SCORE, None),
    "confirm_final": ({INITIAL_DONE}, SCORE, FINAL_DONE),
    "deduct": ({SUBMITTED, INITIAL_DONE}, SCORE, None),
    "veto": ({SUBMITTED, INITIAL_DONE}, SCORE, None),
}

STATUS_LABELS = {DRAFT: "草稿", SUBMITTED: "已提交（待初评）", RETURNED: "退回修改",
                 INITIAL_DONE: "初评完成（待终评）", FINAL_DONE: "终评完成"}
ACTION_LABELS = {"create": "创建申报", "edit": "保存申报", "evidence": "上传证明材料", "submit": "提交申报",
                 "return": "退回修改", "score_initial": "初评打分", "confirm_initial": "确认初评",
                 "score_final": "终评打分", "confirm_final": "确认终评", "deduct": "记录扣分", "veto": "认定一票否决"}


def declaration_error(action: str, status: str) -> str | None:
    """Why ``action`` may not happen in ``status`` (a Chinese sentence), or None."""
    allowed, _who, _after = ACTIONS[action]
    if status in allowed:
        return None
    if status == FINAL_DONE:
        return "终评已确认，申报已锁定，不能再修改"
    return f"申报当前为“{STATUS_LABELS.get(status, status)}”，不能{ACTION_LABELS[action]}"


def next_status(action: str, status: str) -> str:
    return ACTIONS[action][2] or status


def stage_action(stage: str, kind: str) -> str:
    """``stage`` initial/final × ``kind`` score/confirm → the action name."""
    return f"{kind}_{stage}"
