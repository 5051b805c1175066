from pivotal_gen.cli import main

main()
