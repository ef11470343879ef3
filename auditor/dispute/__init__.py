"""Dispute mode: the signed contract read for one situation the client is in, as a brief."""
