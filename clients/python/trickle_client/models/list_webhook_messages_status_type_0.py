from typing import Literal

ListWebhookMessagesStatusType0 = Literal["failed", "pending", "succeeded"]

LIST_WEBHOOK_MESSAGES_STATUS_TYPE_0_VALUES: set[ListWebhookMessagesStatusType0] = {
    "failed",
    "pending",
    "succeeded",
}


def check_list_webhook_messages_status_type_0(value: str) -> ListWebhookMessagesStatusType0:
    if value in LIST_WEBHOOK_MESSAGES_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_WEBHOOK_MESSAGES_STATUS_TYPE_0_VALUES!r}")
