"""Kuaiban's template exports (R-KB-17): cases and petitions. Each module
declares an exporter (fields and rows); ``KuaibanConfig.ready`` registers
them with ``core.exports.registry``."""
