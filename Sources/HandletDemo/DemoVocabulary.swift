import HandletDomain

/// A name as shown, and its plain-ASCII form for email addresses and speech (the transcript of a
/// call says "Chen Wei" for 陈伟).
struct DemoName: Sendable {
    let shown: String
    let ascii: String

    init(_ text: String) {
        if let bar = text.firstIndex(of: "|") {
            shown = String(text[..<bar])
            ascii = String(text[text.index(after: bar)...])
        } else {
            shown = text
            ascii = DemoName.fold(text)
        }
    }

    private static let folds: [Character: String] = [
        "ą": "a", "ć": "c", "ę": "e", "ł": "l", "ń": "n", "ó": "o", "ś": "s", "ź": "z", "ż": "z",
        "Ł": "L", "Ś": "S", "Ż": "Z", "Ź": "Z", "á": "a", "é": "e", "í": "i", "ú": "u", "Á": "A",
        "É": "E", "Í": "I", "Ó": "O", "Ú": "U", "ë": "e", "ï": "i", "ö": "o", "ü": "u", "ç": "c", "ș": "s",
        "Ș": "S", "ț": "t", "ă": "a", "â": "a", "î": "i", "ã": "a", "õ": "o", "è": "e", "ê": "e", "à": "a",
    ]

    static func fold(_ text: String) -> String {
        guard !text.utf8.allSatisfy({ $0 < 128 }) else { return text }
        return text.map { folds[$0] ?? String($0) }.joined()
    }
}

/// One of the UK's larger communities, as names are given within it: a person's first and last
/// names always come from the same one (no "Tunde Kaur").
struct DemoCommunity: Sendable {
    let weight: Int
    let male: [DemoName]
    let female: [DemoName]
    /// Surnames; `femaleLast` holds the women's forms where the language has them (Polish).
    let last: [DemoName]
    let femaleLast: [DemoName]?
    /// Names shown in their own script for this share (per mille) of people: family name first,
    /// no space (Chinese), or given name first (Arabic). The ASCII forms are what is spoken.
    let nativeScript: [(first: [String: String], last: [String: String], familyFirst: Bool)]
    /// How some of them open a written message.
    let greetings: [String]

    init(weight: Int, male: [String], female: [String], last: [String], femaleLast: [String]? = nil,
         native: [(first: [String: String], last: [String: String], familyFirst: Bool)] = [], greetings: [String] = []) {
        self.weight = weight
        self.male = male.map(DemoName.init)
        self.female = female.map(DemoName.init)
        self.last = last.map(DemoName.init)
        self.femaleLast = femaleLast?.map(DemoName.init)
        nativeScript = native
        self.greetings = greetings
    }
}

/// Word lists for people and places: a West Yorkshire customer base, names as mixed as the UK's.
enum DemoVocabulary {
    static let communities: [DemoCommunity] = [
        DemoCommunity(weight: 600, male: [
            "Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Thomas", "Oscar", "William", "James", "Leo",
            "Alfie", "Henry", "Joshua", "Freddie", "Archie", "Ethan", "Isaac", "Alexander", "Joseph", "Edward", "Samuel",
            "Max", "Daniel", "Arthur", "Lucas", "David", "Paul", "Mark", "Andrew", "Richard", "Stephen", "Ian", "Gary",
            "Neil", "Craig", "Darren", "Wayne", "Lee", "Graham", "Keith", "Colin", "Dean", "Ryan", "Liam", "Connor",
        ], female: [
            "Amelia", "Olivia", "Isla", "Emily", "Poppy", "Ava", "Isabella", "Jessica", "Lily", "Sophie", "Grace", "Sophia",
            "Mia", "Evie", "Ruby", "Ella", "Scarlett", "Chloe", "Florence", "Freya", "Sarah", "Emma", "Claire", "Rachel",
            "Nicola", "Joanne", "Lisa", "Michelle", "Helen", "Karen", "Julie", "Susan", "Deborah", "Amanda", "Kerry",
            "Gemma", "Hayley", "Laura", "Rebecca", "Hannah", "Zoë", "Chloë",
        ], last: [
            "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright", "Thompson",
            "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Thomas", "Clarke", "Jackson", "Wood", "Harris",
            "Edwards", "Turner", "Martin", "Cooper", "Hill", "Ward", "Hughes", "Moore", "Clark", "King", "Harrison", "Lewis",
            "Baker", "Lee", "Allen", "Morris", "Scott", "Watson", "Davis", "Parker", "James", "Bennett", "Young", "Phillips",
            "Richardson", "Mitchell", "Bailey", "Carter", "Cook", "Shaw", "Bell", "Collins", "Morgan", "Kelly", "Dixon",
            "Miller", "Mason", "Sutcliffe", "Holroyd", "Ackroyd", "Greenwood", "Haigh", "Illingworth", "Barraclough",
            "Crowther", "Firth", "Hirst", "Pickles", "Rhodes", "Sykes", "Wainwright", "Priestley", "Ramsden", "Hartley",
        ]),
        DemoCommunity(weight: 90, male: ["Muhammad", "Mohammed", "Imran", "Tariq", "Bilal", "Hamza", "Zain", "Usman", "Asif", "Kashif", "Adnan", "Faisal", "Irfan", "Shoaib", "Waqas", "Zeeshan", "Nadeem", "Sajid"],
                      female: ["Aisha", "Fatima", "Ayesha", "Maryam", "Samina", "Nadia", "Sadia", "Amina", "Shazia", "Rubina", "Hina", "Saima", "Naila", "Sana", "Uzma", "Farah", "Bushra", "Zainab"],
                      last: ["Khan", "Hussain", "Ahmed", "Ali", "Akhtar", "Iqbal", "Mahmood", "Chaudhry", "Rashid", "Butt", "Javed", "Aslam", "Saeed", "Qureshi", "Malik", "Raja", "Anwar", "Shafiq"],
                      greetings: ["Assalamu alaikum, "]),
        DemoCommunity(weight: 40, male: ["Arjun", "Rohan", "Vikram", "Sanjay", "Ravi", "Nikhil", "Amit", "Rajesh", "Dev", "Suresh", "Anil", "Hitesh"],
                      female: ["Priya", "Anjali", "Kiran", "Sunita", "Deepa", "Neha", "Pooja", "Meera", "Nisha", "Rekha", "Hema", "Shreya"],
                      last: ["Patel", "Sharma", "Gupta", "Mistry", "Desai", "Shah", "Joshi", "Mehta", "Chauhan", "Parmar", "Solanki", "Lad"]),
        DemoCommunity(weight: 25, male: ["Harjit", "Gurdeep", "Jaswinder", "Rajinder", "Kuldip"],
                      female: ["Harpreet", "Simran", "Jaspreet", "Amandeep", "Manjit"],
                      last: ["Singh", "Sandhu", "Gill", "Dhillon", "Bains"], femaleLast: ["Kaur", "Sandhu", "Gill", "Dhillon", "Bains"]),
        DemoCommunity(weight: 20, male: ["Abdul", "Rahim", "Shahid", "Kamal", "Jamal", "Faruk", "Anwar", "Mizanur", "Rashed"],
                      female: ["Nasrin", "Rokeya", "Shirin", "Jahanara", "Taslima", "Rumana", "Salma", "Parveen", "Shamima"],
                      last: ["Rahman", "Miah", "Uddin", "Islam", "Hossain", "Ahmed"],
                      femaleLast: ["Begum", "Rahman", "Khatun", "Islam", "Hossain", "Akter"]),
        DemoCommunity(weight: 40, male: ["Piotr", "Tomasz", "Łukasz", "Paweł", "Marek", "Jakub", "Wojciech", "Krzysztof", "Michał", "Grzegorz", "Bartosz", "Rafał"],
                      female: ["Małgorzata", "Agnieszka", "Katarzyna", "Zofia", "Magdalena", "Joanna", "Żaneta", "Ewa", "Anna", "Beata", "Dorota", "Justyna"],
                      last: ["Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Lewandowski", "Zieliński", "Kamiński", "Dąbrowski", "Szymański", "Woźniak", "Kozłowski", "Jankowski", "Mazur", "Krawczyk"],
                      femaleLast: ["Kowalska", "Nowak", "Wiśniewska", "Wójcik", "Lewandowska", "Zielińska", "Kamińska", "Dąbrowska", "Szymańska", "Woźniak", "Kozłowska", "Jankowska", "Mazur", "Krawczyk"],
                      greetings: ["Dzień dobry! ", "Cześć, "]),
        DemoCommunity(weight: 20, male: ["Wei", "Jun", "Hao", "Ming"], female: ["Mei", "Xiu", "Li", "Yan"],
                      last: ["Chen", "Wang", "Zhang", "Liu", "Wong", "Lin"],
                      native: [(first: ["Wei": "伟", "Jun": "俊", "Hao": "浩", "Ming": "明", "Mei": "梅", "Xiu": "秀", "Li": "丽", "Yan": "燕"],
                                last: ["Chen": "陈", "Wang": "王", "Zhang": "张", "Liu": "刘", "Wong": "黄", "Lin": "林"], familyFirst: true)],
                      greetings: ["你好！", "您好，"]),
        DemoCommunity(weight: 20, male: ["Chidi", "Tunde", "Femi", "Emeka", "Segun"], female: ["Ngozi", "Folake", "Adaeze", "Chiamaka", "Funmi"],
                      last: ["Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Oyelaran"]),
        DemoCommunity(weight: 12, male: ["Kwame", "Kofi", "Kwabena", "Yaw"], female: ["Ama", "Efua", "Akosua", "Abena"],
                      last: ["Mensah", "Owusu", "Asante", "Boateng", "Osei"]),
        DemoCommunity(weight: 25, male: ["Marcus", "Tyrone", "Jermaine", "Andre", "Leon", "Delroy"],
                      female: ["Shanice", "Kezia", "Jade", "Tia", "Marcia", "Precious"],
                      last: ["Campbell", "Brown", "Williams", "Francis", "Henry", "Grant", "Clarke"]),
        DemoCommunity(weight: 30, male: ["Ciarán", "Seán", "Declan", "Pádraig", "Eoin", "Callum", "Iain", "Ross", "Fraser"],
                      female: ["Siobhán", "Niamh", "Aoife", "Róisín", "Orla", "Eilidh", "Kirsty", "Morag", "Ailsa"],
                      last: ["O'Brien", "Murphy", "Byrne", "Gallagher", "Doherty", "McCarthy", "Quinn", "Reilly", "Campbell",
                             "Stewart", "Macdonald", "MacLeod", "Robertson"]),
        DemoCommunity(weight: 15, male: ["Rhys", "Dafydd", "Gethin", "Owain", "Iwan"], female: ["Carys", "Ffion", "Bronwen", "Siân", "Nia"],
                      last: ["Jones", "Davies", "Evans", "Llewellyn", "Pritchard", "Vaughan", "Rees"]),
        DemoCommunity(weight: 15, male: ["Omar", "Khalid", "Youssef", "Ahmad", "Sami"], female: ["Layla", "Rania", "Huda", "Noor", "Dina"],
                      last: ["Al-Hassan", "Haddad", "Mansour", "Nasser", "Saleh"],
                      native: [(first: ["Omar": "عمر", "Khalid": "خالد", "Youssef": "يوسف", "Ahmad": "أحمد", "Sami": "سامي",
                                        "Layla": "ليلى", "Rania": "رانيا", "Huda": "هدى", "Noor": "نور", "Dina": "دينا"],
                                last: ["Al-Hassan": "الحسن", "Haddad": "حداد", "Mansour": "منصور", "Nasser": "ناصر", "Saleh": "صالح"],
                                familyFirst: false)],
                      greetings: ["السلام عليكم، ", "مرحبا، "]),
        DemoCommunity(weight: 12, male: ["Andrei", "Ștefan", "Mihai", "Ionuț"], female: ["Ioana", "Elena", "Alexandra", "Andreea"],
                      last: ["Popescu", "Ionescu", "Dumitrescu", "Stănescu", "Constantin"], greetings: ["Bună ziua, "]),
        DemoCommunity(weight: 10, male: ["João", "Tiago", "Rui", "Duarte"], female: ["Inês", "Beatriz", "Mariana", "Leonor"],
                      last: ["Silva", "Ferreira", "Gonçalves", "Santos"]),
    ]

    static let communityWeights = Weights(communities.map(\.weight))

    /// Landlords and agents call about certificates and void-property work.
    static let organisations = [
        "Headrow Lettings", "Kirkgate Property Management", "Aire Valley Homes", "Roundhay Residential",
        "Chapel Allerton Estates", "Otley Road Lettings", "Calder Housing Co-op", "Wharfe Lettings",
        "Meanwood Student Homes", "Northern Quarter Properties", "Hyde Park Rentals", "Briggate Block Management",
    ]

    /// Towns with real postcode districts and streets that are in them, weighted towards Leeds
    /// where the business is based.
    static let areas: [(town: String, districts: [String], streets: [String])] = [
        ("Leeds", ["LS6", "LS7", "LS8", "LS11", "LS12", "LS15", "LS16", "LS17"],
         ["Kirkstall Road", "Harrogate Road", "Street Lane", "Roundhay Road", "Chapeltown Road", "Dewsbury Road",
          "York Road", "Selby Road", "Cardigan Road", "Woodhouse Lane", "Meanwood Road", "Stainbeck Lane",
          "Gledhow Valley Road", "Shadwell Lane", "Wetherby Road", "Brudenell Road", "Harehills Lane", "Beckett Street",
          "Tong Road", "Ring Road Beeston", "Moor Road", "Kirkstall Lane", "Spen Lane", "Cookridge Lane"]),
        ("Leeds", ["LS4", "LS5", "LS9", "LS10", "LS14", "LS26", "LS27"],
         ["Burley Road", "Cardigan Lane", "Abbey Road", "Easterly Road", "Middleton Park Road", "Belle Isle Road",
          "Seacroft Crescent", "Oulton Lane", "Leeds Road", "Victoria Road", "Queens Road", "Church Street"]),
        ("Horsforth", ["LS18"], ["Town Street", "Low Lane", "Long Row", "Broadway", "Fink Hill", "New Road Side", "Featherbank Lane"]),
        ("Bradford", ["BD1", "BD2", "BD3", "BD7", "BD9", "BD10"],
         ["Manningham Lane", "Thornton Road", "Great Horton Road", "Killinghall Road", "Toller Lane", "Allerton Road",
          "Bolton Road", "Leeds Road", "Oak Lane", "Legrams Lane", "Idle Road", "Heaton Road"]),
        ("Shipley", ["BD17", "BD18"], ["Saltaire Road", "Bingley Road", "Kirkgate", "Otley Road", "Moorhead Lane", "Victoria Road"]),
        ("Wakefield", ["WF1", "WF2", "WF4"],
         ["Westgate", "Northgate", "Doncaster Road", "Agbrigg Road", "Stanley Road", "Lupset Crescent", "Horbury Road"]),
        ("Harrogate", ["HG1", "HG2", "HG3"],
         ["Cold Bath Road", "Skipton Road", "Knaresborough Road", "Kings Road", "Otley Road", "Valley Drive", "Cornwall Road"]),
        ("Otley", ["LS21"], ["Boroughgate", "Kirkgate", "Westgate", "Bondgate", "Weston Lane", "Bridge Street"]),
        ("Wetherby", ["LS22"], ["High Street", "North Street", "Westgate", "Deighton Road", "Linton Road"]),
        ("Pudsey", ["LS28"], ["Lowtown", "Church Lane", "Richardshaw Lane", "Greenside", "Robin Lane", "Galloway Lane"]),
    ]

    static let postcodeLetters = Array("ABDEFGHJLNPQRSTUWXYZ")

    static let emailProviders = [
        "gmail.com", "gmail.com", "outlook.com", "hotmail.co.uk", "btinternet.com", "yahoo.co.uk",
        "icloud.com", "sky.com", "virginmedia.com", "live.co.uk", "talktalk.net", "aol.com",
    ]

    /// UK geographic area codes (without the trunk 0) for landline callers, with the first
    /// digits of numbers in use there: London's 020 3, 7 and 8; elsewhere 2 to 8 (Ofcom keeps
    /// 0 and 1 unused and 9 mostly for drama and special numbers).
    static let landlineCodes = ["113", "113", "113", "1274", "1423", "1924", "1943", "1937", "161", "114", "20"]
    static func landlineLeadDigits(_ code: String) -> [Character] { code == "20" ? ["3", "7", "8"] : ["2", "3", "4", "5", "6", "7", "8"] }

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
