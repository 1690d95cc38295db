"""The durable outbox: e-mails are rows first, SMTP deliveries later (services.py, delivery.py)."""
