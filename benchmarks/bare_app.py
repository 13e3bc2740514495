"""The baseline: a bare Textual app with a header, a footer and a 20-row table."""

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header


class Bare(App):
    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("序号", "团员", "房号", "商品", "数量")
        table.add_rows([(i, f"团员{i}", f"3-{1200 + i}", "冷榨橄榄油", 1) for i in range(20)])


if __name__ == "__main__":
    Bare().run()
