"""The creator's pages: things and claims, earnings and payouts, the widget snippet, webhook endpoints."""
