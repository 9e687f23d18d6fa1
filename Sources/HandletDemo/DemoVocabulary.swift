import HandletDomain

/// Word lists for people and places: a West Yorkshire customer base, names as mixed as the UK's.
enum DemoVocabulary {
    static let firstNames = [
        "Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Muhammad", "Thomas", "Oscar",
        "William", "James", "Leo", "Alfie", "Henry", "Joshua", "Freddie", "Archie", "Ethan", "Isaac",
        "Alexander", "Joseph", "Edward", "Samuel", "Max", "Daniel", "Arthur", "Lucas", "Mohammed", "Logan",
        "David", "Paul", "Mark", "Andrew", "Richard", "Stephen", "Ian", "Gary", "Neil", "Craig",
        "Darren", "Wayne", "Lee", "Graham", "Keith", "Colin", "Dean", "Ryan", "Liam", "Connor",
        "Amelia", "Olivia", "Isla", "Emily", "Poppy", "Ava", "Isabella", "Jessica", "Lily", "Sophie",
        "Grace", "Sophia", "Mia", "Evie", "Ruby", "Ella", "Scarlett", "Chloe", "Florence", "Freya",
        "Sarah", "Emma", "Claire", "Rachel", "Nicola", "Joanne", "Lisa", "Michelle", "Helen", "Karen",
        "Julie", "Susan", "Deborah", "Amanda", "Kerry", "Gemma", "Hayley", "Laura", "Rebecca", "Hannah",
        "Aisha", "Fatima", "Priya", "Anjali", "Zara", "Amira", "Nadia", "Samira", "Ayesha", "Maryam",
        "Imran", "Tariq", "Bilal", "Hamza", "Arjun", "Rohan", "Vikram", "Sanjay", "Ravi", "Kiran",
        "Piotr", "Tomasz", "Kasia", "Agnieszka", "Marek", "Ola", "Andrzej", "Zofia", "Jakub", "Magda",
        "Chidi", "Ngozi", "Kwame", "Ama", "Tunde", "Folake", "Femi", "Adaeze", "Kofi", "Efua",
        "Siobhan", "Niamh", "Ciaran", "Aoife", "Declan", "Sean", "Bronwen", "Rhys", "Carys", "Ffion",
        "Marcus", "Tyrone", "Shanice", "Jermaine", "Kezia", "Andre", "Leon", "Jade", "Tia", "Kayla",
    ]

    static let lastNames = [
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson",
        "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Thomas", "Clarke",
        "Jackson", "Wood", "Harris", "Edwards", "Turner", "Martin", "Cooper", "Hill", "Ward", "Hughes",
        "Moore", "Clark", "King", "Harrison", "Lewis", "Baker", "Lee", "Allen", "Morris", "Khan",
        "Scott", "Watson", "Davis", "Parker", "James", "Bennett", "Young", "Phillips", "Richardson", "Mitchell",
        "Bailey", "Carter", "Cook", "Singh", "Shaw", "Bell", "Collins", "Morgan", "Kelly", "Begum",
        "Dixon", "Miller", "Mason", "Hussain", "Ahmed", "Ali", "Shah", "Akhtar", "Iqbal", "Mahmood",
        "Sutcliffe", "Holroyd", "Ackroyd", "Greenwood", "Haigh", "Illingworth", "Barraclough", "Crowther",
        "Firth", "Hirst", "Pickles", "Rhodes", "Sykes", "Wainwright", "Priestley", "Ramsden", "Hartley",
        "Kowalski", "Nowak", "Wisniewski", "Lewandowski", "Zielinski", "Wojcik", "Kaminski",
        "Okafor", "Adeyemi", "Mensah", "Owusu", "Okonkwo", "Balogun", "Asante", "Boateng",
        "O'Brien", "Murphy", "Byrne", "Gallagher", "Doherty", "McCarthy", "Quinn", "Reilly",
        "Campbell", "Stewart", "Macdonald", "Fraser", "Grant", "Reid", "Gray", "Hamilton",
        "Chen", "Wong", "Nguyen", "Sharma", "Gupta", "Kaur", "Chaudhry", "Rahman", "Mistry", "Desai",
    ]

    /// Landlords and agents call about certificates and void-property work.
    static let organisations = [
        "Headrow Lettings", "Kirkgate Property Management", "Aire Valley Homes", "Roundhay Residential",
        "Chapel Allerton Estates", "Otley Road Lettings", "Calder Housing Co-op", "Wharfe Lettings",
        "Meanwood Student Homes", "Northern Quarter Properties", "Hyde Park Rentals", "Briggate Block Management",
    ]

    static let streets = [
        "Kirkstall Road", "Otley Road", "Harrogate Road", "Street Lane", "Roundhay Road", "Chapeltown Road",
        "Stanningley Road", "Dewsbury Road", "York Road", "Selby Road", "Wakefield Road", "Bradford Road",
        "Cardigan Road", "Victoria Road", "Queens Road", "Albert Terrace", "Grange Avenue", "Moorland Drive",
        "Beech Grove", "Oak Tree Crescent", "Hawthorn Close", "Elm Street", "Chestnut Avenue", "Willow Way",
        "Church Lane", "Mill Lane", "Station Road", "Back Lane", "Park View", "Springfield Mount",
        "Bankside Street", "Hillcrest Rise", "Ash Grove", "Woodhouse Lane", "Meanwood Road", "Stainbeck Lane",
        "Gledhow Valley Road", "Shadwell Lane", "Wetherby Road", "Leeds Road", "Manor Drive", "Nursery Lane",
        "Thornhill Road", "Low Lane", "Town Street", "Greenhow Walk", "Brudenell Road", "Harehills Lane",
    ]

    /// Towns with real postcode districts, weighted towards Leeds where the business is based.
    static let areas: [(town: String, districts: [String])] = [
        ("Leeds", ["LS6", "LS7", "LS8", "LS11", "LS12", "LS13", "LS15", "LS16", "LS17", "LS18"]),
        ("Leeds", ["LS4", "LS5", "LS9", "LS10", "LS14", "LS19", "LS25", "LS26", "LS27", "LS28"]),
        ("Horsforth", ["LS18"]),
        ("Bradford", ["BD1", "BD2", "BD3", "BD7", "BD9", "BD10"]),
        ("Shipley", ["BD17", "BD18"]),
        ("Wakefield", ["WF1", "WF2", "WF4"]),
        ("Harrogate", ["HG1", "HG2", "HG3"]),
        ("Otley", ["LS21"]),
        ("Wetherby", ["LS22"]),
        ("Pudsey", ["LS28"]),
    ]

    static let postcodeLetters = Array("ABDEFGHJLNPQRSTUWXYZ")

    static let emailProviders = [
        "gmail.com", "gmail.com", "outlook.com", "hotmail.co.uk", "btinternet.com", "yahoo.co.uk",
        "icloud.com", "sky.com", "virginmedia.com", "live.co.uk", "talktalk.net", "aol.com",
    ]

    /// UK geographic area codes (without the trunk 0) for landline callers.
    static let landlineCodes = ["113", "113", "113", "1274", "1423", "1924", "1943", "1937", "161", "114", "20"]

    /// UK mobile prefixes after +44 7.
    static let mobilePrefixes = ["4", "5", "7", "8", "9"]

    static let optOutKeywords = Weights([60, 10, 12, 4, 6, 3, 3, 2])
    static let optOutKeywordNames = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"]

    static let consentMethods = [
        "tick-box on the website booking form", "verbal consent on a call, confirmed by text",
        "replied JOIN to a text", "signed job sheet", "newsletter sign-up form",
    ]

    static let reviewSources = ["Google", "Google", "Google", "Checkatrade", "Trustpilot", "Facebook"]
}
