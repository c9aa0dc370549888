from drill.cli import main

main(prog_name="drill")
