from pivotal_gen.launch import main

main()
