"""The catalogue (档案目录): search, the item view, package download and exports, every read audited."""
