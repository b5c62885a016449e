"""Geography computed once at import: the Danish grid (DDKN), where Denmark is, spatial joins
and the enrichment of incidents.
"""
