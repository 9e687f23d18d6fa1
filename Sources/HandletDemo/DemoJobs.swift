import HandletDomain

/// One way a customer describes a job, and what a summary calls that same thing, so a summary
/// never names a different job from the caller's request. `season` keeps remarks about the weather
/// to the months they fit.
struct DemoProblem: Sendable {
    enum Season: Sendable { case any, cold, beforeWinter, warm }
    let text: String
    let noun: String
    var season: Season = .any

    func fits(month: Int) -> Bool {
        switch season {
        case .any: true
        case .cold: month >= 11 || month <= 3
        case .beforeWinter: (8...10).contains(month)
        case .warm: (4...9).contains(month)
        }
    }
}

/// The work a plumbing, heating, electrical and cleaning firm is asked for, with the words customers
/// and the assistant use about it. Calls, messages, summaries and job details all draw from here so
/// that a thread about a tripping fuse box reads like one from start to finish.
struct DemoJob: Sendable {
    let key: String
    let trade: String
    /// Short title, e.g. for email subjects and job details.
    let title: String
    /// How the customer first describes it (first person, one clause), with the summary's noun.
    let problems: [DemoProblem]
    /// The assistant's diagnostic question.
    let question: String
    /// The customer's answers to it.
    let details: [String]
    /// Typical price range in pounds for a quote.
    let priceLow: Int
    let priceHigh: Int
    /// Booked as an urgent visit the same or next day.
    let urgent: Bool
    /// Quoted after a survey rather than booked as a call-out.
    let quoteFirst: Bool
    /// Something broke (it has a "since when"), rather than work wanted.
    var fault: Bool { urgent || ["leaking_tap", "radiators_cold", "leaking_shower"].contains(key) }

    /// A description that fits the month (no boiler "before winter" in December).
    func problem(month: Int, random: inout DemoRandom) -> DemoProblem {
        let first = random.below(problems.count)
        for step in 0..<problems.count {
            let candidate = problems[(first + step) % problems.count]
            if candidate.fits(month: month) { return candidate }
        }
        return problems[first]
    }
}

enum DemoJobs {
    static let all: [DemoJob] = [
        DemoJob(key: "boiler_not_firing", trade: "heating", title: "Boiler not firing",
                problems: [DemoProblem(text: "my combi boiler won't fire up, there's no heating and no hot water",
                                       noun: "a combi boiler that will not fire (no heating or hot water)"),
                           DemoProblem(text: "the boiler keeps locking out and showing a fault code, and with this cold the house is freezing",
                                       noun: "a boiler locking out with a fault code", season: .cold),
                           DemoProblem(text: "we've got no heating, the boiler just clicks and then stops",
                                       noun: "a boiler that clicks and will not light")],
                question: "Sorry to hear that. What make is the boiler, and is there a fault code or a red light on the display?",
                details: ["It's a Worcester Bosch, about eight years old, showing EA 227.",
                          "It's a Baxi, the display says E133 and the pressure gauge is nearly on zero.",
                          "Vaillant ecoTEC, it's flashing F28. I've tried resetting it twice."],
                priceLow: 95, priceHigh: 260, urgent: true, quoteFirst: false),
        DemoJob(key: "leaking_tap", trade: "plumbing", title: "Leaking tap",
                problems: [DemoProblem(text: "the kitchen mixer tap is dripping constantly and now it's leaking under the sink",
                                       noun: "a kitchen mixer tap leaking under the sink"),
                           DemoProblem(text: "our bathroom tap won't turn off properly, it drips all night",
                                       noun: "a dripping bathroom tap"),
                           DemoProblem(text: "there's water coming from the base of the kitchen tap every time we use it",
                                       noun: "a kitchen tap leaking at its base")],
                question: "Is it dripping from the spout, or leaking around the base or underneath?",
                details: ["From the base, and the cupboard underneath is getting wet.",
                          "Just the spout, but it's getting worse every day.",
                          "Underneath, I think it's the flexible hose, I've put a bowl under it."],
                priceLow: 75, priceHigh: 180, urgent: false, quoteFirst: false),
        DemoJob(key: "fuse_box_tripping", trade: "electrical", title: "Fuse box tripping",
                problems: [DemoProblem(text: "the fuse box keeps tripping, the RCD goes every time we put the kettle on",
                                       noun: "an RCD tripping whenever the kettle goes on"),
                           DemoProblem(text: "half the sockets downstairs have gone dead and the trip switch won't reset",
                                       noun: "dead downstairs sockets and a trip switch that will not reset"),
                           DemoProblem(text: "our consumer unit trips at random, twice last night, and it's getting worse",
                                       noun: "a consumer unit tripping at random")],
                question: "Does it trip straight away when you reset it, or only when something's switched on?",
                details: ["Only when the kettle or the washing machine is on, otherwise it holds.",
                          "Straight away, I've unplugged everything and it still trips.",
                          "It holds for a few hours then goes again, usually when it's raining."],
                priceLow: 85, priceHigh: 220, urgent: true, quoteFirst: false),
        DemoJob(key: "end_of_tenancy_clean", trade: "cleaning", title: "End-of-tenancy clean",
                problems: [DemoProblem(text: "I need an end-of-tenancy clean, we move out at the end of the month",
                                       noun: "an end-of-tenancy clean before moving out"),
                           DemoProblem(text: "I'm a landlord and need a flat cleaned between tenants, including the oven",
                                       noun: "a clean between tenants, oven included"),
                           DemoProblem(text: "we're leaving a rented house and want a deep clean so we get the deposit back",
                                       noun: "a deep clean of a rented house at the end of the tenancy")],
                question: "How many bedrooms is it, and do you need carpets and the oven done as well?",
                details: ["Two bed flat, carpets in the bedrooms and yes the oven please.",
                          "Three bed semi, oven and carpets, and the windows inside if possible.",
                          "One bed flat, hard floors throughout, oven yes."],
                priceLow: 180, priceHigh: 420, urgent: false, quoteFirst: true),
        DemoJob(key: "blocked_drain", trade: "plumbing", title: "Blocked drain",
                problems: [DemoProblem(text: "the outside drain is overflowing and it smells awful",
                                       noun: "an overflowing outside drain"),
                           DemoProblem(text: "our toilet won't flush away properly and the shower drain is backing up",
                                       noun: "a toilet and shower drain backing up"),
                           DemoProblem(text: "the kitchen sink is completely blocked, I've tried a plunger and unblocker",
                                       noun: "a blocked kitchen sink")],
                question: "Is it just the one sink or toilet, or are other drains slow too?",
                details: ["Just the kitchen sink, everything else is fine.",
                          "The toilet and the shower, and there's a gurgling noise.",
                          "The drain by the back door is full to the top."],
                priceLow: 90, priceHigh: 240, urgent: true, quoteFirst: false),
        DemoJob(key: "radiators_cold", trade: "heating", title: "Cold radiators",
                problems: [DemoProblem(text: "a few of the radiators are cold at the top and the heating takes ages",
                                       noun: "radiators cold at the top"),
                           DemoProblem(text: "the upstairs radiators aren't getting warm but downstairs is fine",
                                       noun: "cold radiators upstairs"),
                           DemoProblem(text: "our radiators are lukewarm and one's making a banging noise, just as it's turned cold",
                                       noun: "lukewarm, banging radiators", season: .cold)],
                question: "Have you tried bleeding them, and roughly how old is the system?",
                details: ["I bled them last week and they've gone cold again. About fifteen years old.",
                          "Not yet, I wasn't sure how. The boiler's about ten years old.",
                          "Yes, lots of air came out. It's an old system, could need a power flush."],
                priceLow: 350, priceHigh: 650, urgent: false, quoteFirst: true),
        DemoJob(key: "gas_safety_certificate", trade: "heating", title: "Gas safety certificate",
                problems: [DemoProblem(text: "I need a gas safety certificate for a rental flat, the current one runs out soon",
                                       noun: "a landlord gas safety certificate (CP12) for a rental flat"),
                           DemoProblem(text: "I'm after a landlord gas safety check and a boiler service at the same time",
                                       noun: "a landlord gas safety check with a boiler service"),
                           DemoProblem(text: "the letting agent says the CP12 for my property is due",
                                       noun: "a landlord gas safety certificate (CP12)")],
                question: "How many gas appliances are at the property, and will a tenant give us access?",
                details: ["Just the boiler and a gas hob. The tenant works from home so any weekday is fine.",
                          "Boiler, hob and a gas fire. I'll need to arrange access with the tenant.",
                          "Only the boiler. I can meet you there with the keys."],
                priceLow: 70, priceHigh: 110, urgent: false, quoteFirst: false),
        DemoJob(key: "eicr", trade: "electrical", title: "Electrical safety report (EICR)",
                problems: [DemoProblem(text: "I need an EICR for a rented house before the new tenants move in",
                                       noun: "an electrical installation condition report (EICR) before new tenants"),
                           DemoProblem(text: "our letting agent wants an electrical installation condition report",
                                       noun: "an electrical installation condition report (EICR)"),
                           DemoProblem(text: "we're selling and the buyer's surveyor asked for an electrical check",
                                       noun: "an electrical check (EICR) for a house sale")],
                question: "How many bedrooms, and do you know roughly how old the fuse board is?",
                details: ["Three bedrooms, and the board looks quite old, maybe the original one.",
                          "Two bed flat, the consumer unit was changed about five years ago.",
                          "Four bed, no idea how old the wiring is to be honest."],
                priceLow: 140, priceHigh: 260, urgent: false, quoteFirst: false),
        DemoJob(key: "ev_charger", trade: "electrical", title: "EV charger installation",
                problems: [DemoProblem(text: "we've just bought an electric car and want a home charger fitted on the drive",
                                       noun: "a home EV charger on the drive"),
                           DemoProblem(text: "I'd like a 7 kilowatt car charger fitted on the side of the house",
                                       noun: "a 7 kW EV charger on the side of the house"),
                           DemoProblem(text: "I'd like a quote for an EV charge point in the garage",
                                       noun: "an EV charge point in the garage")],
                question: "Where is your fuse board relative to where the charger would go?",
                details: ["It's in the garage, so the charger would be on the other side of that wall.",
                          "Under the stairs, about twelve metres from the drive.",
                          "In the hallway, and the drive is at the front, so not far."],
                priceLow: 850, priceHigh: 1250, urgent: false, quoteFirst: true),
        DemoJob(key: "bathroom_refit", trade: "plumbing", title: "Bathroom refit",
                problems: [DemoProblem(text: "we're looking to have the bathroom refitted, new suite and a walk-in shower",
                                       noun: "a bathroom refit with a new suite and walk-in shower"),
                           DemoProblem(text: "I want the bath taken out and a proper shower put in for my mum",
                                       noun: "a bath replaced by a walk-in shower"),
                           DemoProblem(text: "I'd like a quote for a full bathroom refit, tiling included",
                                       noun: "a full bathroom refit with tiling")],
                question: "Roughly what size is the room, and are you supplying the suite or would you like us to?",
                details: ["About two metres by two and a half. We'd like you to supply everything.",
                          "Small, maybe one point eight by two. We've already bought the suite.",
                          "A decent size family bathroom, we want to keep the layout the same."],
                priceLow: 4200, priceHigh: 7800, urgent: false, quoteFirst: true),
        DemoJob(key: "burst_pipe", trade: "plumbing", title: "Burst pipe",
                problems: [DemoProblem(text: "a pipe's burst in the loft after the frost and water is coming through the ceiling",
                                       noun: "a pipe burst in the loft, leaking through the ceiling", season: .cold),
                           DemoProblem(text: "there's water pouring out from under the kitchen units, I think a pipe's gone",
                                       noun: "a burst pipe under the kitchen units"),
                           DemoProblem(text: "we've got a leak coming through the light fitting in the hallway",
                                       noun: "a leak through the hallway light fitting")],
                question: "Have you been able to turn the water off at the stopcock?",
                details: ["Yes, it's off now, but the ceiling's soaked.",
                          "I can't find the stopcock, it's still leaking.",
                          "Yes, under the sink, it's stopped but there's a lot of water."],
                priceLow: 120, priceHigh: 380, urgent: true, quoteFirst: false),
        DemoJob(key: "oven_deep_clean", trade: "cleaning", title: "Oven and kitchen deep clean",
                problems: [DemoProblem(text: "I'd like a deep clean of the kitchen, the oven especially",
                                       noun: "a kitchen deep clean, oven included"),
                           DemoProblem(text: "I'd like a proper clean of the house before we have family over",
                                       noun: "a whole-house deep clean"),
                           DemoProblem(text: "we need a regular fortnightly clean of a three bed house",
                                       noun: "a fortnightly clean of a three bed house")],
                question: "How many rooms would you like doing, and is there parking outside?",
                details: ["Kitchen and two bathrooms mainly, and yes there's a drive.",
                          "The whole downstairs, street parking only I'm afraid.",
                          "Three bed house, all rooms, parking's fine."],
                priceLow: 120, priceHigh: 260, urgent: false, quoteFirst: true),
        DemoJob(key: "new_sockets", trade: "electrical", title: "Extra sockets and lighting",
                problems: [DemoProblem(text: "I want a couple of extra double sockets in the kitchen",
                                       noun: "extra double sockets in the kitchen"),
                           DemoProblem(text: "we'd like the old spotlights swapped for LED downlights in the kitchen",
                                       noun: "LED downlights in place of the kitchen spotlights"),
                           DemoProblem(text: "I'd like an outside light and socket fitted for the garden",
                                       noun: "an outside light and socket for the garden")],
                question: "Which rooms is it, and are the walls plastered or plasterboard?",
                details: ["Just the kitchen, plastered walls.",
                          "Kitchen and the hallway, I think they're plasterboard.",
                          "Outside on the back wall, it's brick."],
                priceLow: 160, priceHigh: 480, urgent: false, quoteFirst: true),
        DemoJob(key: "leaking_shower", trade: "plumbing", title: "Shower repair",
                problems: [DemoProblem(text: "the shower's leaking into the kitchen below, there's a stain on the ceiling",
                                       noun: "a shower leaking into the kitchen ceiling below"),
                           DemoProblem(text: "our electric shower has stopped working, it just runs cold",
                                       noun: "an electric shower running cold"),
                           DemoProblem(text: "the shower tray seal has gone and water gets behind the tiles",
                                       noun: "a failed shower tray seal")],
                question: "Is it an electric shower or a mixer from the boiler, and when did it start?",
                details: ["Mixer off the combi, started a couple of weeks ago.",
                          "Electric, a Triton, it's probably ten years old.",
                          "Mixer, and the stain's been growing for a month."],
                priceLow: 90, priceHigh: 320, urgent: false, quoteFirst: false),
        DemoJob(key: "boiler_service", trade: "heating", title: "Boiler service",
                problems: [DemoProblem(text: "I'd like to book my annual boiler service",
                                       noun: "an annual boiler service"),
                           DemoProblem(text: "my boiler's due a service for the warranty",
                                       noun: "a boiler service to keep the warranty"),
                           DemoProblem(text: "I'd like the boiler serviced before winter",
                                       noun: "a boiler service before winter", season: .beforeWinter),
                           DemoProblem(text: "I'd like the boiler serviced while we're not using the heating",
                                       noun: "a boiler service over the summer", season: .warm)],
                question: "What make is it, and is it still under the manufacturer's warranty?",
                details: ["Ideal Logic, and yes, it's got two years of warranty left.",
                          "Worcester Bosch, out of warranty now.",
                          "Vaillant, fitted three years ago by you actually."],
                priceLow: 85, priceHigh: 95, urgent: false, quoteFirst: false),
    ]

    static let weights = Weights([14, 12, 11, 7, 9, 6, 8, 6, 3, 3, 5, 4, 5, 5, 10])

    /// The same weights by month (January first): boilers, radiators and pipes fail in the cold,
    /// services are booked in the autumn, tenancies change in the summer.
    static let weightsByMonth: [Weights] = (1...12).map { month in
        let cold = month >= 11 || month <= 2 ? 220 : month == 3 || month == 10 ? 140 : (6...8).contains(month) ? 50 : 100
        let service = (8...10).contains(month) ? 180 : month == 12 || month == 1 ? 60 : 90
        let summer = (6...9).contains(month) ? 140 : 90
        return Weights(zip(all, weights.values).map { job, weight in
            switch job.key {
            case "boiler_not_firing", "radiators_cold", "burst_pipe": weight * cold
            case "boiler_service": weight * service
            case "end_of_tenancy_clean": weight * summer
            default: weight * 100
            }
        })
    }
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
