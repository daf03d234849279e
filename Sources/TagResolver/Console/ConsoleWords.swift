/// The console's words in French and English, per the signed-in user's preference. Each screen adds its own
/// words in an extension beside it.
struct ConsoleWords: Sendable {
    let fr: Bool
    var code: String { fr ? "fr" : "en" }

    init(language: String) { fr = language == "fr" }

    var console: String { fr ? "Console" : "Console" }
    var dashboard: String { fr ? "Tableau de bord" : "Dashboard" }
    var tags: String { fr ? "Codes" : "Tags" }
    var print: String { fr ? "Impression" : "Print" }
    var map: String { fr ? "Carte" : "Map" }
    var events: String { fr ? "Événements" : "Events" }
    var alerts: String { fr ? "Alertes" : "Alerts" }
    var reports: String { fr ? "Signalements" : "Reports" }
    var tokens: String { fr ? "Clés d’API" : "API tokens" }
    var users: String { fr ? "Comptes" : "Accounts" }
    var mainNavigation: String { fr ? "Navigation principale" : "Main navigation" }
    var skipToContent: String { fr ? "Aller au contenu" : "Skip to content" }
    var signedInAs: String { fr ? "Connecté·e :" : "Signed in as" }
    var logOut: String { fr ? "Se déconnecter" : "Log out" }
    var otherLanguage: String { fr ? "English" : "Français" }
    var otherCode: String { fr ? "en" : "fr" }

    var logIn: String { fr ? "Connexion" : "Log in" }
    var userName: String { fr ? "Identifiant" : "User name" }
    var password: String { fr ? "Mot de passe" : "Password" }
    var passwordAgain: String { fr ? "Le même mot de passe, à nouveau" : "The same password again" }
    var setPassword: String { fr ? "Choisir un mot de passe" : "Choose a password" }
    var save: String { fr ? "Enregistrer" : "Save" }
    var wrongLogin: String { fr ? "Identifiant ou mot de passe incorrect." : "Wrong user name or password." }
    func throttled(_ seconds: Int) -> String {
        fr ? "Trop d’essais pour ce compte : réessayez dans \(seconds) s." : "Too many attempts for this account: try again in \(seconds) s."
    }
    var formExpired: String { fr ? "Le formulaire a expiré ; réessayez." : "The form expired; please try again." }
    var linkInvalid: String {
        fr ? "Ce lien n’est plus valable. Demandez-en un nouveau à un·e administrateur·rice (tagtool users reset)."
            : "This link is no longer valid. Ask an administrator for a new one (tagtool users reset)."
    }
    var passwordsDiffer: String { fr ? "Les deux mots de passe diffèrent." : "The two passwords differ." }
    func passwordTooShort(_ minimum: Int) -> String {
        fr ? "Le mot de passe doit compter au moins \(minimum) caractères." : "The password needs at least \(minimum) characters."
    }
    func passwordTooLong(_ maximum: Int) -> String {
        fr ? "Le mot de passe dépasse \(maximum) octets." : "The password is longer than \(maximum) bytes."
    }
    var passwordSet: String { fr ? "Mot de passe enregistré. Connectez-vous." : "Password saved. Please log in." }
    var forbidden: String { fr ? "Votre rôle ne permet pas cette action." : "Your role does not allow this." }
    var notFound: String { fr ? "Page introuvable." : "Page not found." }
    var badForm: String {
        fr ? "Ce formulaire n’est pas valable (jeton CSRF manquant ou périmé) ; rechargez la page."
            : "This form is not valid (missing or stale CSRF token); reload the page."
    }
    var busy: String { fr ? "Beaucoup de connexions en cours ; réessayez dans un instant." : "Many logins right now; please try again in a moment." }

    // Shared by several screens.
    var any: String { fr ? "Tous" : "Any" }
    var address: String { fr ? "Adresse" : "Address" }
    var position: String { fr ? "Position" : "Position" }
    var latitude: String { fr ? "Latitude" : "Latitude" }
    var longitude: String { fr ? "Longitude" : "Longitude" }
    var edit: String { fr ? "Modifier" : "Edit" }
    var enable: String { fr ? "Réactiver" : "Enable" }
    var disable: String { fr ? "Désactiver" : "Disable" }
    var kind: String { fr ? "Type" : "Kind" }
    var previous: String { fr ? "Page précédente" : "Previous page" }
    var next: String { fr ? "Page suivante" : "Next page" }
    func andMore(_ count: Int) -> String { fr ? "… et \(count) de plus." : "… and \(count) more." }
}
