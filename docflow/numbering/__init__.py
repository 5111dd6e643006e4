"""发文字号: one gapless counter per (issuing organ, 代字 series, year), and the register of issued numbers."""
