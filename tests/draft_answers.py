"""What a capable model answers when asked to draft fields (the bundled one is too small to stand in)."""

from __future__ import annotations

from fake_servers import Step

TEXT = "500 customer complaints for a telecom company"
PROPOSAL = {
    "fields": [
        {"name": "plan_name", "type": "category", "description": "the mobile plan", "values": ["Basic", "Plus", "Max"]},
        {"name": "data_used_gb", "type": "number", "description": "data used this month", "minimum": 0, "maximum": 200},
        {"name": "contract_start", "type": "date", "description": "when the contract began"},
        {"name": "Bad Name", "type": "string", "description": "not a field name"},
        {"name": "status", "type": "string", "description": "already in the draft"},
        {"name": "categories", "type": "string", "description": "the draft's category, in the plural"},
        {"name": "channels", "type": "category", "description": "the same", "values": ["app", "shop"]},
        {"name": "tier", "type": "category", "description": "one value is not a category", "values": ["Gold"]},
        # what a small model echoes from the request: not fields
        {"name": "snake_case_name", "type": "string", "description": "a snake_case name"},
        {"name": "type", "type": "string", "description": "a type"},
        {"name": "case_id_type_category_type", "type": "string", "description": "repeats itself"},
    ]
}


def answering(content: str) -> Step:
    message = {"role": "assistant", "content": content}
    return Step(body={"id": "c", "object": "chat.completion", "choices": [{"index": 0, "message": message, "finish_reason": "stop"}], "usage": {}})  # fmt: skip
