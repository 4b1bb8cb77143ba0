from rongcuo_cli.cli import main

main()
