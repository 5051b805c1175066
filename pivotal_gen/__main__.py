from pivotal_gen.cli.launch import main

main()
