"""钟楼区人社局业务管理系统 (zhonglou_hrss)."""

__version__ = "0.1.0"
