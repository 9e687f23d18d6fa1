import HandletDomain

/// The parts customers' requests and the office's small talk are composed from. Every part is a
/// whole sentence or a clause that reads in every combination, so no join leaves a doubled space,
/// an empty slot or a dangling preposition (DemoSentenceTests checks 100,000 of them).
enum DemoPhrases {
    /// Whole pounds with a thousands separator: "4,200".
    static func pounds(_ value: Int) -> String {
        value < 1000 ? String(value) : String(value / 1000) + "," + String(1000 + value % 1000).dropFirst()
    }

    /// "Morning, " only before noon, "Afternoon, " only until six.
    static func spokenOpener(hour: Int, random: inout DemoRandom) -> String {
        var openers = ["Hi, yes, ", "Hello, ", "Oh hi, ", "Hiya, ", "Hi there, ", "Yes, hello, ", "Hello there, "]
        if hour < 12 { openers.append("Morning, ") } else if hour < 18 { openers.append("Afternoon, ") }
        return random.pick(openers)
    }

    /// When a fault started: its own sentence, so it reads after any problem.
    static let faultSince = [
        "It started this morning.", "It started last night.", "It started over the weekend.",
        "It's been like this for a couple of days.", "It's been on and off all week.",
        "It only started yesterday afternoon.", "It's been getting worse for a week or so.",
        "It happened when we got back from being away.", "My partner noticed it first thing today.",
        "It was fine until a few days ago.", "It's the second time this month.",
    ]

    /// Why a fault matters to them now.
    static let faultContext = [
        "We've got two little ones at home.", "I work from home, so I'm in most days.",
        "It's a rented flat and I'm the tenant.", "My husband's away this week.", "We've got family staying.",
        "I'm not very handy myself.", "My mum lives with us and she feels the cold.",
        "I've had a look but I don't want to make it worse.", "The landlord said to ring you directly.",
        "I'm out at work most of the day.", "We've only just moved in.", "I've got the afternoon free.",
    ]

    /// When wanted work should happen.
    static let requestTiming = [
        "Ideally in the next couple of weeks.", "There's no rush, whenever suits.", "Sometime next week would be good.",
        "Before the end of the month if possible.", "Mornings are best for me.", "Any weekday works.",
        "I'm flexible on dates.", "Saturdays suit us best if you do them.", "The sooner the better really.",
        "We're away the week after next, so before then ideally.",
    ]

    /// How they found the firm, or who they are.
    static let requestContext = [
        "A neighbour recommended you.", "I found you on Google.", "You did some work for my mum last year.",
        "I saw your van on our street.", "You did our boiler a while back.", "A friend at work said you were good.",
        "I've used you before for something else.", "We're getting a few quotes.", "The letting agent gave me your number.",
        "I saw your reviews online.", "My sister used you last month.",
    ]

    /// Where they are, in their own words (varies by street and town).
    static func whereabouts(_ person: DemoPerson?, random: inout DemoRandom) -> String {
        guard let person else { return "" }
        switch random.below(4) {
        case 0: return "We're on " + person.street + " in " + person.town + "."
        case 1: return "I'm in " + String(person.postcodeDistrict) + "."
        case 2: return "It's in " + person.town + ", " + String(person.postcodeDistrict) + "."
        default: return "We're just off " + person.street + "."
        }
    }

    /// The caller's first description of the job: opener, problem, and two or three more sentences.
    static func request(_ problem: DemoProblem, job: DemoJob, person: DemoPerson?, hour: Int,
                        random: inout DemoRandom) -> String {
        var parts = [spokenOpener(hour: hour, random: &random) + problem.text + "."]
        if job.fault {
            parts.append(random.pick(faultSince))
            if random.perMille(600) { parts.append(random.pick(faultContext)) }
        } else {
            parts.append(random.pick(requestTiming))
            if random.perMille(600) { parts.append(random.pick(requestContext)) }
        }
        if random.perMille(500) { parts.append(whereabouts(person, random: &random)) }
        return parts.joined(separator: " ")
    }

    /// The office's questions that fill a longer call, with the customer's answers, in the AI's
    /// register and in a person's.
    struct Exchange {
        let ai: String
        let staff: String
        let answers: [String]
    }

    static let smallTalk: [Exchange] = [
        Exchange(ai: "Is there parking near the property?", staff: "Parking alright round yours?",
                 answers: ["Yes, there's a drive.", "Street parking, it's usually fine after nine.",
                           "It's permit parking, I'll leave a visitor permit out."]),
        Exchange(ai: "Are there any pets at the property we should know about?", staff: "Any pets we need to know about?",
                 answers: ["Just a cat, she'll hide.", "A dog, but I'll keep him in the garden.", "No, no pets."]),
        Exchange(ai: "Will someone be in to let the engineer in?", staff: "Someone going to be in to let us in?",
                 answers: ["Yes, I work from home.", "My partner will be in.", "I'll leave a key with the neighbour."]),
        Exchange(ai: "Has anyone looked at it before?", staff: "Has anyone had a look at it already?",
                 answers: ["No, this is the first time.", "A friend had a look but couldn't sort it.",
                           "You came out about two years ago."]),
        Exchange(ai: "Is the property a house or a flat?", staff: "Is it a house or a flat?",
                 answers: ["A terraced house.", "A first floor flat, there's a buzzer.", "A semi, the side door's easiest."]),
        Exchange(ai: "How would you like to pay: card on the day, or by invoice?", staff: "Card on the day alright, or do you want an invoice?",
                 answers: ["Card on the day is fine.", "An invoice please.", "Card, yes."]),
        Exchange(ai: "Is this the best number for the engineer to ring when they're on the way?",
                 staff: "Best to ring this number when we're on the way?",
                 answers: ["Yes, this one's fine.", "Yes, this mobile.", "This one, but text if I don't answer."]),
        Exchange(ai: "Is there anything we should know about access, such as stairs or a gate code?",
                 staff: "Anything tricky getting in, gate codes, that sort of thing?",
                 answers: ["There's a side gate, it's unlocked.", "Third floor, no lift I'm afraid.", "No, it's straightforward."]),
        Exchange(ai: "Roughly how old is the property?", staff: "How old's the house, roughly?",
                 answers: ["Victorian, about 1890 I think.", "Nineteen thirties.", "It's a new build, five years old."]),
        Exchange(ai: "Would you like a text reminder the day before?", staff: "Want a text the day before as a reminder?",
                 answers: ["Yes please, I'll forget otherwise.", "That would be handy, thanks.", "No need, I've written it down."]),
    ]

    /// The caller's own questions, with the office's answer.
    static let callerQuestions: [(question: String, ai: String, staff: String)] = [
        ("Roughly how long will it take?", "Usually an hour or two, but the engineer will say on the day.",
         "Hard to say till we see it, couple of hours usually."),
        ("Do I need to move anything out of the way?", "Just clear access to the area, that's all.",
         "Just clear a bit of space round it, that's all."),
        ("Do you take card?", "Yes, card or bank transfer, whichever is easier.", "Yeah, card's fine, or a transfer."),
        ("Will they wear shoe covers? We've just had new carpets.", "Yes, our engineers always use shoe covers and dust sheets.",
         "Yeah, don't worry, we always put covers on."),
        ("Is it the same engineer as last time?", "I can't promise that, but I've added a note asking for it.",
         "I'll see what I can do, no promises mind."),
    ]

    /// Said before a hold, and after it: the first, second and third hold of a long call.
    static let holdAI = [("Bear with me a moment while I check the engineers' diary.", "Thanks for holding."),
                         ("I'm just checking whether an engineer can come sooner; please hold.", "Thanks for waiting."),
                         ("One more moment while I confirm the slot with the office.", "Sorry for the wait, that's confirmed.")]
    static let holdStaff = [("Hang on a sec, let me just check with the lads.", "Sorry about that, you still there? Right."),
                            ("Bear with me, I'll see if Gareth can squeeze you in.", "Sorry, right, where were we."),
                            ("Two ticks, just checking the van's got the part.", "Yep, that's fine. Sorry for the wait.")]
}
