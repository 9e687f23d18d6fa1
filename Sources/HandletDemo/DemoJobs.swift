import HandletDomain

/// The work a plumbing, heating, electrical and cleaning firm is asked for, with the words customers
/// and the assistant use about it. Calls, messages, summaries and job details all draw from here so
/// that a thread about a tripping fuse box reads like one from start to finish.
struct DemoJob: Sendable {
    let key: String
    let trade: String
    /// Short title, e.g. for email subjects and job details.
    let title: String
    /// How the customer first describes it (first person, one or two sentences).
    let problems: [String]
    /// The assistant's diagnostic question.
    let question: String
    /// The customer's answers to it.
    let details: [String]
    /// Noun phrase for summaries: "reported <this>".
    let summaryNoun: String
    /// Typical price range in pounds for a quote.
    let priceLow: Int
    let priceHigh: Int
    /// Booked as an urgent visit the same or next day.
    let urgent: Bool
    /// Quoted after a survey rather than booked as a call-out.
    let quoteFirst: Bool
}

enum DemoJobs {
    static let all: [DemoJob] = [
        DemoJob(key: "boiler_not_firing", trade: "heating", title: "Boiler not firing",
                problems: ["my combi boiler won't fire up, there's no heating and no hot water",
                           "the boiler keeps locking out and showing a fault code, the house is freezing",
                           "we've got no heating since this morning, the boiler just clicks and then stops"],
                question: "Sorry to hear that. What make is the boiler, and is there a fault code or a red light on the display?",
                details: ["It's a Worcester Bosch, about eight years old, showing EA 227.",
                          "It's a Baxi, the display says E133 and the pressure gauge is nearly on zero.",
                          "Vaillant ecoTEC, it's flashing F28. I've tried resetting it twice."],
                summaryNoun: "a combi boiler that will not fire (no heating or hot water)",
                priceLow: 95, priceHigh: 260, urgent: true, quoteFirst: false),
        DemoJob(key: "leaking_tap", trade: "plumbing", title: "Leaking tap",
                problems: ["the kitchen mixer tap is dripping constantly and now it's leaking under the sink",
                           "our bathroom tap won't turn off properly, it drips all night",
                           "there's water coming from the base of the kitchen tap every time we use it"],
                question: "Is it dripping from the spout, or leaking around the base or underneath?",
                details: ["From the base, and the cupboard underneath is getting wet.",
                          "Just the spout, but it's getting worse every day.",
                          "Underneath, I think it's the flexible hose, I've put a bowl under it."],
                summaryNoun: "a leaking kitchen mixer tap", priceLow: 75, priceHigh: 180, urgent: false,
                quoteFirst: false),
        DemoJob(key: "fuse_box_tripping", trade: "electrical", title: "Fuse box tripping",
                problems: ["the fuse box keeps tripping, the RCD goes every time we put the kettle on",
                           "half the sockets downstairs have gone dead and the trip switch won't reset",
                           "our consumer unit trips at random, twice last night, and it's getting worse"],
                question: "Does it trip straight away when you reset it, or only when something's switched on?",
                details: ["Only when the kettle or the washing machine is on, otherwise it holds.",
                          "Straight away, I've unplugged everything and it still trips.",
                          "It holds for a few hours then goes again, usually when it's raining."],
                summaryNoun: "an RCD tripping on the consumer unit", priceLow: 85, priceHigh: 220, urgent: true,
                quoteFirst: false),
        DemoJob(key: "end_of_tenancy_clean", trade: "cleaning", title: "End-of-tenancy clean",
                problems: ["I need an end-of-tenancy clean, we move out at the end of the month",
                           "I'm a landlord and need a flat cleaned between tenants, including the oven",
                           "we're leaving a rented house and want a deep clean so we get the deposit back"],
                question: "How many bedrooms is it, and do you need carpets and the oven done as well?",
                details: ["Two bed flat, carpets in the bedrooms and yes the oven please.",
                          "Three bed semi, oven and carpets, and the windows inside if possible.",
                          "One bed flat, hard floors throughout, oven yes."],
                summaryNoun: "an end-of-tenancy clean", priceLow: 180, priceHigh: 420, urgent: false,
                quoteFirst: true),
        DemoJob(key: "blocked_drain", trade: "plumbing", title: "Blocked drain",
                problems: ["the outside drain is overflowing and it smells awful",
                           "our toilet won't flush away properly and the shower drain is backing up",
                           "the kitchen sink is completely blocked, I've tried a plunger and unblocker"],
                question: "Is it just the one sink or toilet, or are other drains slow too?",
                details: ["Just the kitchen sink, everything else is fine.",
                          "The toilet and the shower, and there's a gurgling noise.",
                          "The drain by the back door is full to the top."],
                summaryNoun: "a blocked drain backing up", priceLow: 90, priceHigh: 240, urgent: true,
                quoteFirst: false),
        DemoJob(key: "radiators_cold", trade: "heating", title: "Cold radiators",
                problems: ["a few of the radiators are cold at the top and the heating takes ages",
                           "the upstairs radiators aren't getting warm but downstairs is fine",
                           "our radiators are lukewarm and one's making a banging noise"],
                question: "Have you tried bleeding them, and roughly how old is the system?",
                details: ["I bled them last week and they've gone cold again. About fifteen years old.",
                          "Not yet, I wasn't sure how. The boiler's about ten years old.",
                          "Yes, lots of air came out. It's an old system, could need a power flush."],
                summaryNoun: "cold radiators, possibly needing a power flush", priceLow: 350, priceHigh: 650,
                urgent: false, quoteFirst: true),
        DemoJob(key: "gas_safety_certificate", trade: "heating", title: "Gas safety certificate",
                problems: ["I need a gas safety certificate for a rental flat, the current one runs out soon",
                           "I'm after a landlord gas safety check and a boiler service at the same time",
                           "the letting agent says the CP12 for my property is due"],
                question: "How many gas appliances are at the property, and will a tenant give us access?",
                details: ["Just the boiler and a gas hob. The tenant works from home so any weekday is fine.",
                          "Boiler, hob and a gas fire. I'll need to arrange access with the tenant.",
                          "Only the boiler. I can meet you there with the keys."],
                summaryNoun: "a landlord gas safety certificate (CP12)", priceLow: 70, priceHigh: 110,
                urgent: false, quoteFirst: false),
        DemoJob(key: "eicr", trade: "electrical", title: "Electrical safety report (EICR)",
                problems: ["I need an EICR for a rented house before the new tenants move in",
                           "our letting agent wants an electrical installation condition report",
                           "we're selling and the buyer's surveyor asked for an electrical check"],
                question: "How many bedrooms, and do you know roughly how old the fuse board is?",
                details: ["Three bedrooms, and the board looks quite old, maybe the original one.",
                          "Two bed flat, the consumer unit was changed about five years ago.",
                          "Four bed, no idea how old the wiring is to be honest."],
                summaryNoun: "an electrical installation condition report (EICR)", priceLow: 140, priceHigh: 260,
                urgent: false, quoteFirst: false),
        DemoJob(key: "ev_charger", trade: "electrical", title: "EV charger installation",
                problems: ["we've just bought an electric car and want a home charger fitted on the drive",
                           "can you install a 7 kilowatt car charger on the side of the house",
                           "I'd like a quote for an EV charge point in the garage"],
                question: "Where is your fuse board relative to where the charger would go?",
                details: ["It's in the garage, so the charger would be on the other side of that wall.",
                          "Under the stairs, about twelve metres from the drive.",
                          "In the hallway, and the drive is at the front, so not far."],
                summaryNoun: "a home EV charger installation", priceLow: 850, priceHigh: 1250, urgent: false,
                quoteFirst: true),
        DemoJob(key: "bathroom_refit", trade: "plumbing", title: "Bathroom refit",
                problems: ["we're looking to have the bathroom refitted, new suite and a walk-in shower",
                           "I want the bath taken out and a proper shower put in for my mum",
                           "can you quote for a full bathroom refit, tiling included"],
                question: "Roughly what size is the room, and are you supplying the suite or would you like us to?",
                details: ["About two metres by two and a half. We'd like you to supply everything.",
                          "Small, maybe one point eight by two. We've already bought the suite.",
                          "A decent size family bathroom, we want to keep the layout the same."],
                summaryNoun: "a full bathroom refit", priceLow: 4200, priceHigh: 7800, urgent: false,
                quoteFirst: true),
        DemoJob(key: "burst_pipe", trade: "plumbing", title: "Burst pipe",
                problems: ["a pipe's burst in the loft and water is coming through the ceiling",
                           "there's water pouring out from under the kitchen units, I think a pipe's gone",
                           "we've got a leak coming through the light fitting in the hallway"],
                question: "Have you been able to turn the water off at the stopcock?",
                details: ["Yes, it's off now, but the ceiling's soaked.",
                          "I can't find the stopcock, it's still leaking.",
                          "Yes, under the sink, it's stopped but there's a lot of water."],
                summaryNoun: "a burst pipe leaking through a ceiling", priceLow: 120, priceHigh: 380, urgent: true,
                quoteFirst: false),
        DemoJob(key: "oven_deep_clean", trade: "cleaning", title: "Oven and kitchen deep clean",
                problems: ["I'd like a deep clean of the kitchen, the oven especially",
                           "can someone come and do a proper clean of the house before we have family over",
                           "we need a regular fortnightly clean, three bed house"],
                question: "How many rooms would you like doing, and is there parking outside?",
                details: ["Kitchen and two bathrooms mainly, and yes there's a drive.",
                          "The whole downstairs, street parking only I'm afraid.",
                          "Three bed house, all rooms, parking's fine."],
                summaryNoun: "a domestic deep clean", priceLow: 120, priceHigh: 260, urgent: false,
                quoteFirst: true),
        DemoJob(key: "new_sockets", trade: "electrical", title: "Extra sockets and lighting",
                problems: ["I want a couple of extra double sockets in the kitchen and an outdoor socket",
                           "we'd like the old spotlights swapped for LED downlights in the kitchen",
                           "can you fit an outside light and socket for the garden"],
                question: "Is it a single room, and are the walls plastered or dry-lined?",
                details: ["Just the kitchen, plastered walls.",
                          "Kitchen and the hallway, I think they're plasterboard.",
                          "Outside on the back wall, brick."],
                summaryNoun: "new sockets and lighting", priceLow: 160, priceHigh: 480, urgent: false,
                quoteFirst: true),
        DemoJob(key: "leaking_shower", trade: "plumbing", title: "Leaking shower",
                problems: ["the shower's leaking into the kitchen below, there's a stain on the ceiling",
                           "our electric shower has stopped working, it just runs cold",
                           "the shower tray seal has gone and water gets behind the tiles"],
                question: "Is it an electric shower or a mixer from the boiler, and when did it start?",
                details: ["Mixer off the combi, started a couple of weeks ago.",
                          "Electric, a Triton, it's probably ten years old.",
                          "Mixer, and the stain's been growing for a month."],
                summaryNoun: "a leaking shower", priceLow: 90, priceHigh: 320, urgent: false, quoteFirst: false),
        DemoJob(key: "boiler_service", trade: "heating", title: "Annual boiler service",
                problems: ["I'd like to book my annual boiler service",
                           "my boiler's due a service for the warranty",
                           "can I get the boiler serviced before winter"],
                question: "What make is it, and is it still under the manufacturer's warranty?",
                details: ["Ideal Logic, and yes, it's got two years of warranty left.",
                          "Worcester Bosch, out of warranty now.",
                          "Vaillant, fitted three years ago by you actually."],
                summaryNoun: "an annual boiler service", priceLow: 85, priceHigh: 95, urgent: false,
                quoteFirst: false),
    ]

    static let weights = Weights([14, 12, 11, 7, 9, 6, 8, 6, 3, 3, 5, 4, 5, 5, 10])
}

extension DemoJob {
    /// The title inside a sentence: "EV charger installation", "electrical safety report (EICR)".
    var lowercaseTitle: String {
        title.split(separator: " ").enumerated().map { index, word in
            let letters = word.filter(\.isLetter)
            let isAcronym = letters.count >= 2 && letters.allSatisfy(\.isUppercase)
            return isAcronym ? String(word) : word.lowercased()
        }.joined(separator: " ")
    }
}
