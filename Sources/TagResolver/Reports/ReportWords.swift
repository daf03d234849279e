import CivicKit

/// The report pages' words in French and English.
struct ReportWords {
    let language: StopPage.Language
    var fr: Bool { language == .fr }
    var code: String { language.rawValue }

    var reportHere: String { fr ? "Signaler un problème ici" : "Report a problem here" }
    var already: String { fr ? "Déjà signalé ici" : "Already reported here" }
    var meToo: String { fr ? "Moi aussi" : "Me too" }
    var meTooCount: String { fr ? "personnes l’ont aussi remarqué" : "people noticed it too" }
    var category: String { fr ? "Quel problème ?" : "What is the problem?" }
    var description: String { fr ? "Décrivez-le" : "Describe it" }
    var photo: String { fr ? "Photo (facultative, 15 Mo au plus)" : "Photo (optional, at most 15 MB)" }
    var email: String { fr ? "E-mail pour le suivi (facultatif)" : "E-mail for follow-up (optional)" }
    var send: String { fr ? "Envoyer" : "Send" }
    var privacy: String {
        fr ? "Nous ne gardons ni votre adresse IP ni les données de la photo (position, appareil). L’e-mail sert au suivi et est effacé après la clôture."
            : "We keep neither your IP address nor the photo’s data (location, camera). The e-mail is for follow-up only and is erased after the report is closed."
    }
    var thanks: String { fr ? "Merci, c’est noté" : "Thank you, it is noted" }
    var receiptText: String {
        fr ? "Gardez ce lien pour suivre votre signalement (pas de compte nécessaire) :" : "Keep this link to follow your report (no account needed):"
    }
    var reference: String { fr ? "Référence" : "Reference" }
    var status: String { fr ? "État" : "Status" }
    var townNote: String { fr ? "Note de la ville" : "Note from the town" }
    var reportedOn: String { fr ? "Signalé le" : "Reported on" }
    var back: String { fr ? "Retour à la page du lieu" : "Back to the place’s page" }
    var switchLabel: String { fr ? "English" : "Français" }
    var honeypot: String { fr ? "Ne pas remplir" : "Leave empty" }
    var tooMany: String { fr ? "Trop de signalements envoyés d’ici. Réessayez dans quelques minutes." : "Too many reports from here. Please try again in a few minutes." }
    var expired: String { fr ? "Le formulaire a expiré ; le voici à nouveau." : "The form expired; here it is again." }
    var onSite: String { fr ? "Vous avez touché l’autocollant de cet endroit : votre signalement sera marqué « vérifié sur place »." : "You tapped this place’s sticker: your report will be marked “verified on site”." }
    var invalidToken: String { fr ? "Ce formulaire n’est pas valable ; rechargez la page." : "This form is not valid; please reload the page." }
    var needDescription: String { fr ? "Décrivez le problème en quelques mots." : "Please describe the problem in a few words." }
    var needCategory: String { fr ? "Choisissez le type de problème." : "Please choose the kind of problem." }
    var badEmail: String { fr ? "Cette adresse e-mail ne semble pas valable." : "This e-mail address does not look valid." }
    var notFound: String { fr ? "Ce lien de suivi n’existe pas." : "This follow-up link does not exist." }

    func status(_ status: CitizenReport.Status) -> String {
        switch status {
        case .new: fr ? "Reçu" : "Received"
        case .acknowledged: fr ? "Pris en compte" : "Acknowledged"
        case .inProgress: fr ? "En cours" : "In progress"
        case .resolved: fr ? "Résolu" : "Resolved"
        case .rejected: fr ? "Refusé" : "Rejected"
        case .duplicate: fr ? "Déjà signalé (doublon)" : "Already reported (duplicate)"
        }
    }

    /// "il y a 2 h" / "2 h ago".
    func ago(_ seconds: Double) -> String {
        let minutes = max(0, Int(seconds / 60))
        let text: String = if minutes < 60 { "\(minutes) min" } else if minutes < 2880 { "\(minutes / 60) h" } else { fr ? "\(minutes / 1440) j" : "\(minutes / 1440) d" }
        return fr ? "il y a \(text)" : "\(text) ago"
    }
}
