"""書かない窓口: the counter (card reading, the clerk's flow, batch printing)."""
