"""rongcuo: assess 容错纠错 cases against a region's rules, with an audit trail."""

__version__ = "0.1.0"
