/// Word lists for plausible generated records (companies, people, places, tickets).
enum SimNames {
    static let companyWords = ["Acme", "Northwind", "Contoso", "Fabrikam", "Globex", "Initech", "Umbrella", "Stark", "Wayne",
                               "Tyrell", "Cyberdyne", "Soylent", "Hooli", "Vandelay", "Wonka", "Gringotts", "Pied Piper",
                               "Blue Sky", "Red Rock", "Silver Lake", "Evergreen", "Summit", "Harbor", "Pioneer", "Keystone"]
    static let companySuffixes = ["Corp", "LLC", "Inc", "Group", "Partners", "Dental", "Law", "Logistics", "Clinic", "Holdings"]
    static let firstNames = ["Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger",
                             "Radia", "Tim", "Hedy", "John", "Katherine", "Donald", "Sophie", "Niklaus", "Lynn", "Bjarne"]
    static let lastNames = ["Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen",
                            "Dijkstra", "Perlman", "Berners-Lee", "Lamarr", "Backus", "Johnson", "Knuth", "Wilson", "Wirth",
                            "Conway", "Stroustrup"]
    static let cities = [("Austin", "TX"), ("Denver", "CO"), ("Portland", "OR"), ("Tampa", "FL"), ("Columbus", "OH"),
                         ("Raleigh", "NC"), ("Madison", "WI"), ("Boise", "ID"), ("Omaha", "NE"), ("Reno", "NV")]
    static let streets = ["Main St", "Oak Ave", "Pine Rd", "Maple Dr", "Cedar Ln", "Elm St", "Park Blvd", "Lake Rd"]
    static let titles = ["Office Manager", "IT Director", "CFO", "Owner", "Operations Lead", "Practice Manager", "Controller"]
    static let problems = ["Printer offline", "Cannot connect to VPN", "Outlook keeps crashing", "New user setup",
                           "Password reset", "Slow laptop", "Backup job failed", "Firewall alert", "Replace toner",
                           "Wi-Fi drops in conference room", "Install Adobe Acrobat", "Phishing email reported",
                           "Server disk almost full", "MFA enrolment", "License renewal"]

    static func company(_ r: inout SimRandom, key: Int) -> String {
        "\(r.pick(companyWords)) \(r.pick(companySuffixes))" + (key > companyWords.count ? " \(key)" : "")
    }

    static func slug(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }.map(Character.init))
    }

    static func phone(_ r: inout SimRandom) -> String { "(\(r.int(201...989))) \(r.int(200...989))-\(r.int(1000...9999))" }
}
