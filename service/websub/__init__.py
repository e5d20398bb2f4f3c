"""The service's own WebSub hub: subscriptions, verification of intent, and pushes
of new feed entries to subscribers."""
