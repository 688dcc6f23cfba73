"""Delivery of the outbox's notices: Standard Webhooks, e-mail, and chat robots (DingTalk,
Feishu/Lark, WeCom, Slack), with retries, dead-letter, endpoint state and robots' rate limits."""
