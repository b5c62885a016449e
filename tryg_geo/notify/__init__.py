"""Sending: the SMTP relay (``smtp``), the digest (``digest``) and the alerts after an import
(``alerts``). The one layer that talks to the network; it composes from views and render."""
