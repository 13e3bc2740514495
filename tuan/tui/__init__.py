"""The Textual app: screens under `screens/`, reusable widgets under `widgets/`."""
