import ArgumentParser
HandletCommand.main()
