import { text } from "../core/text";

/**
 * Every sentence the dashboard writes, in both languages, in one place. Keys are grouped by page
 * (`signin.…`) or purpose (`field.…`, `notice.…`); `{name}` placeholders are filled by `t()`.
 * Messages that services write (errors, field problems) arrive as `Text` and are rendered as is.
 */
export const MESSAGES = {
  // Layout
  "layout.skip": text("Skip to content", "Pular para o conteúdo"),
  "layout.navLabel": text("Main", "Principal"),
  "layout.languageLabel": text("Language", "Idioma"),
  "layout.apiReference": text("API reference", "Referência da API"),
  "layout.tagline": text("Product data ready for the marketplaces", "Dados de produto prontos para os marketplaces"),
  "nav.start": text("Get started", "Primeiros passos"),
  "nav.catalog": text("Catalog", "Catálogo"),
  "nav.jobs": text("Validations", "Validações"),
  "nav.mappings": text("Mappings", "Mapeamentos"),
  "nav.rulePacks": text("Rule packs", "Regras"),
  "nav.webhooks": text("Webhooks", "Webhooks"),
  "nav.apiKeys": text("API keys", "Chaves de API"),
  "nav.account": text("Account", "Conta"),
  "nav.connectors": text("Store connections", "Conexões com lojas"),
  "nav.billing": text("Plans and billing", "Planos e cobrança"),
  "nav.soon": text("coming soon", "em breve"),
  "auth.signIn": text("Sign in", "Entrar"),
  "auth.signUp": text("Create account", "Criar conta"),
  "auth.signOut": text("Sign out", "Sair"),

  // Forms
  "form.errorsTitle": text("Some fields need attention:", "Alguns campos precisam de atenção:"),
  "form.required": text("required", "obrigatório"),
  "field.name": text("Your name", "Seu nome"),
  "field.email": text("Email", "E-mail"),
  "field.password": text("Password", "Senha"),
  "field.passwordHint": text("At least 10 characters. A phrase you remember works well.", "Pelo menos 10 caracteres. Uma frase que você lembre funciona bem."),
  "field.showPassword": text("Show password", "Mostrar senha"),
  "field.company": text("Company (optional)", "Empresa (opcional)"),
  "field.taxId": text("CNPJ or CPF (optional)", "CNPJ ou CPF (opcional)"),
  "field.taxIdHint": text(
    "A CNPJ, numeric or in the new alphanumeric format, or a CPF if you sell as an individual.",
    "CNPJ, numérico ou no novo formato alfanumérico, ou CPF se você vende como pessoa física.",
  ),
  "field.language": text("Language", "Idioma"),
  "field.marketplace": text("Marketplace", "Marketplace"),
  "field.category": text("Category (optional)", "Categoria (opcional)"),
  "field.categoryHint": text("The marketplace's category id, such as MLB1055 (Celulares e Smartphones).", "O código da categoria no marketplace, como MLB1055 (Celulares e Smartphones)."),
  "field.currentPassword": text("Current password", "Senha atual"),
  "field.newPassword": text("New password", "Nova senha"),

  // Landing
  "landing.title": text("Vitrine — your catalog ready for the marketplaces", "Vitrine — seu catálogo pronto para os marketplaces"),
  "landing.heading": text("Your catalog ready for Mercado Livre, Shopee and Google", "Seu catálogo pronto para o Mercado Livre, a Shopee e o Google"),
  "landing.lead": text(
    "Upload your spreadsheet, see what each marketplace would reject and why, and download it corrected — in minutes.",
    "Envie sua planilha, veja o que cada marketplace recusaria e por quê, e baixe o arquivo corrigido — em minutos.",
  ),
  "landing.point1": text("Checks titles, prices, GTINs, images and required attributes", "Confere títulos, preços, GTINs, imagens e atributos obrigatórios"),
  "landing.point2": text("Fixes what can be fixed: spaces, decimal commas, “Novo” → new", "Corrige o que dá: espaços, vírgula decimal, “Novo” → new"),
  "landing.point3": text("Gives your file back in its own format, ready to upload again", "Devolve seu arquivo no formato dele, pronto para subir de novo"),
  "landing.signupHeading": text("Create your free account", "Crie sua conta grátis"),
  "landing.haveAccount": text("Already have an account?", "Já tem conta?"),
  "landing.apiAccount": text("Created your account through the API?", "Criou sua conta pela API?"),
  "landing.apiAccountLink": text("Get a link to choose a password", "Receba um link para escolher uma senha"),

  // Sign in
  "signin.title": text("Sign in", "Entrar"),
  "signin.forgot": text("Forgot your password, or never had one?", "Esqueceu a senha ou nunca teve uma?"),
  "signin.forgotLink": text("Get a link by email", "Receba um link por e-mail"),
  "signin.noAccount": text("No account yet?", "Ainda não tem conta?"),

  // Emailed links
  "password.title": text("Choose or reset your password", "Escolher ou redefinir a senha"),
  "password.lead": text(
    "Enter your account's email. We will send a link that works once, to choose a password (for accounts created through the API) or a new one.",
    "Informe o e-mail da sua conta. Enviaremos um link que funciona uma vez, para escolher uma senha (contas criadas pela API) ou uma nova.",
  ),
  "password.submit": text("Send link", "Enviar link"),
  "password.sent": text(
    "If an account uses {email}, a link is on its way. It works once and expires soon.",
    "Se alguma conta usa {email}, um link está a caminho. Ele funciona uma vez e expira em breve.",
  ),
  "password.devLink": text("Development only: the email went to the log. Its link:", "Só em desenvolvimento: o e-mail foi para o log. O link dele:"),
  "passwordNew.titleSet": text("Choose your password", "Escolha sua senha"),
  "passwordNew.titleReset": text("Choose a new password", "Escolha uma nova senha"),
  "passwordNew.for": text("For {email}.", "Para {email}."),
  "passwordNew.takeover": text(
    "Choosing a password proves this address is yours: every API key and session the account had before stops working.",
    "Escolher a senha prova que este endereço é seu: todas as chaves de API e sessões que a conta tinha deixam de funcionar.",
  ),
  "passwordNew.reset": text("Every browser signed in to this account will be signed out.", "Todos os navegadores conectados a esta conta serão desconectados."),
  "passwordNew.submit": text("Save password", "Salvar senha"),
  "passwordNew.invalid": text("This link has expired or was already used.", "Este link expirou ou já foi usado."),
  "passwordNew.askAgain": text("Ask for a new link", "Peça um novo link"),

  // Notices shown after an action (the `notice` query parameter names one of these)
  "notice.signedOut": text("You signed out.", "Você saiu."),
  "notice.passwordSet": text("Password saved. Sign in with it.", "Senha salva. Entre com ela."),
  "notice.tookOver": text(
    "Your address is proven and your password saved. For your safety, the {keys} API key(s) and {sessions} session(s) the account had before were revoked; create new keys when you need them. Sign in with your new password.",
    "Seu endereço foi comprovado e a senha salva. Por segurança, as {keys} chave(s) de API e {sessions} sessão(ões) que a conta tinha foram revogadas; crie chaves novas quando precisar. Entre com a nova senha.",
  ),
  "notice.profileSaved": text("Profile saved.", "Perfil salvo."),
  "notice.passwordChanged": text("Password changed. Your other sessions were signed out.", "Senha trocada. Suas outras sessões foram encerradas."),
  "notice.sessionRevoked": text("Session ended.", "Sessão encerrada."),
  "notice.marketplaceSaved": text("Choice saved.", "Escolha salva."),
  "notice.apiKeyRevoked": text("Key revoked. It no longer works.", "Chave revogada. Ela não funciona mais."),
  "notice.signInFirst": text("Sign in to continue.", "Entre para continuar."),

  // Onboarding
  "onboarding.title": text("Get started", "Primeiros passos"),
  "onboarding.welcome": text("Welcome, {name}!", "Boas-vindas, {name}!"),
  "onboarding.lead": text(
    "Six steps from your spreadsheet to a corrected file. A step is ticked when it has really happened in your account.",
    "Seis passos da sua planilha até o arquivo corrigido. Um passo é marcado quando realmente aconteceu na sua conta.",
  ),
  "onboarding.progress": text("{done} of {total} steps done", "{done} de {total} passos concluídos"),
  "onboarding.done": text("Done", "Concluído"),
  "onboarding.todo": text("To do", "A fazer"),
  "onboarding.step1": text("Upload a catalog", "Envie um catálogo"),
  "onboarding.step1Body": text("A CSV, Excel or JSON file — or try with our sample catalog.", "Um arquivo CSV, Excel ou JSON — ou experimente com nosso catálogo de exemplo."),
  "onboarding.step1Link": text("Upload a catalog", "Enviar um catálogo"),
  "onboarding.step2": text("Choose marketplace and category", "Escolha marketplace e categoria"),
  "onboarding.step2Body": text("Where your products are going decides which rules apply.", "O destino dos seus produtos decide quais regras valem."),
  "onboarding.step2Submit": text("Save choice", "Salvar escolha"),
  "onboarding.step3": text("Check the column mapping", "Confira o mapeamento das colunas"),
  "onboarding.step3Body": text(
    "See which of your columns feeds each field, with how sure the suggestion is, and change what is off.",
    "Veja qual coluna sua alimenta cada campo, com a confiança da sugestão, e ajuste o que estiver errado.",
  ),
  "onboarding.step3Link": text("Open mappings", "Abrir mapeamentos"),
  "onboarding.step4": text("Run the validation and follow it", "Rode a validação e acompanhe"),
  "onboarding.step4Body": text("The whole file is checked in the background; its progress shows live.", "O arquivo inteiro é conferido em segundo plano; o progresso aparece ao vivo."),
  "onboarding.step4Link": text("Open validations", "Abrir validações"),
  "onboarding.step5": text("Read the results and download the corrected file", "Leia os resultados e baixe o arquivo corrigido"),
  "onboarding.step5Body": text(
    "What to fix first, grouped by rule, and your file back with the corrections applied.",
    "O que corrigir primeiro, agrupado por regra, e seu arquivo de volta com as correções aplicadas.",
  ),
  "onboarding.step5Link": text("See the results", "Ver os resultados"),
  "onboarding.step6": text("Create an API key or a webhook", "Crie uma chave de API ou um webhook"),
  "onboarding.step6Body": text(
    "Connect your ERP or store: keys to call the API, webhooks to hear when a validation ends. Store connections and plans will join this step when they arrive.",
    "Conecte seu ERP ou sua loja: chaves para chamar a API, webhooks para saber quando uma validação termina. Conexões com lojas e planos entram neste passo quando chegarem.",
  ),

  // Account
  "account.title": text("Account", "Conta"),
  "account.profile": text("Profile", "Perfil"),
  "account.emailIs": text("Email: {email}", "E-mail: {email}"),
  "account.saveProfile": text("Save profile", "Salvar perfil"),
  "account.password": text("Password", "Senha"),
  "account.changePassword": text("Change password", "Trocar senha"),
  "account.sessions": text("Sessions", "Sessões"),
  "account.sessionsLead": text("Browsers signed in to this account right now.", "Navegadores conectados a esta conta agora."),
  "account.sessionBrowser": text("Browser", "Navegador"),
  "account.sessionStarted": text("Signed in", "Entrou em"),
  "account.sessionLastSeen": text("Last active", "Última atividade"),
  "account.sessionActions": text("Actions", "Ações"),
  "account.sessionCurrent": text("This browser", "Este navegador"),
  "account.sessionUnknown": text("Unknown browser", "Navegador desconhecido"),
  "account.sessionRevoke": text("End session", "Encerrar sessão"),
  "account.sessionRevokeLabel": text("End session — signed in on {date}", "Encerrar sessão — entrou em {date}"),
  "account.revokeAll": text("Sign out everywhere", "Sair de todos os lugares"),
  "account.revokeAllHint": text("Ends every session, this one included.", "Encerra todas as sessões, inclusive esta."),
  "account.revokeAllConfirm": text("Sign out of every browser, this one included?", "Sair de todos os navegadores, inclusive este?"),

  // API keys (page-settings)
  "apiKeys.title": text("API keys", "Chaves de API"),
  "apiKeys.lead": text(
    "Keys let your ERP, store or scripts call the API (Authorization: Bearer <key>). They do not open this dashboard.",
    "Chaves permitem que seu ERP, sua loja ou seus scripts chamem a API (Authorization: Bearer <chave>). Elas não abrem este painel.",
  ),
  "apiKeys.create": text("Create a key", "Criar uma chave"),
  "apiKeys.name": text("Name", "Nome"),
  "apiKeys.nameHint": text("Where it will be used, such as “ERP” or “Shopify store”.", "Onde ela será usada, como “ERP” ou “Loja Shopify”."),
  "apiKeys.nameRequired": text("Give the key a name (up to 100 characters).", "Dê um nome à chave (até 100 caracteres)."),
  "apiKeys.createdTitle": text("Your new key “{name}”", "Sua nova chave “{name}”"),
  "apiKeys.shownOnce": text(
    "Copy it now and keep it somewhere safe: it is shown only this once. If you lose it, revoke it and create another.",
    "Copie agora e guarde em lugar seguro: ela só aparece esta vez. Se perder, revogue e crie outra.",
  ),
  "apiKeys.list": text("Your keys", "Suas chaves"),
  "apiKeys.none": text("No keys yet.", "Nenhuma chave ainda."),
  "apiKeys.prefix": text("Key", "Chave"),
  "apiKeys.created": text("Created", "Criada em"),
  "apiKeys.lastUsed": text("Last used", "Último uso"),
  "apiKeys.never": text("Never", "Nunca"),
  "apiKeys.status": text("Status", "Situação"),
  "apiKeys.active": text("Active", "Ativa"),
  "apiKeys.revokedOn": text("Revoked on {date}", "Revogada em {date}"),
  "apiKeys.revoke": text("Revoke", "Revogar"),
  "apiKeys.revokeLabel": text("Revoke the key “{name}” ({prefix}…)", "Revogar a chave “{name}” ({prefix}…)"),
  "apiKeys.revokeConfirm": text("Revoke this key? Whatever uses it stops working at once.", "Revogar esta chave? O que a usa para de funcionar na hora."),
  "apiKeys.older": text("Older keys", "Chaves mais antigas"),
  "secret.copy": text("Copy", "Copiar"),
  "secret.copied": text("Copied.", "Copiado."),
  "secret.copyFailed": text("Could not copy; select the text and copy it.", "Não deu para copiar; selecione o texto e copie."),

  // Errors
  "error.notFoundTitle": text("Page not found", "Página não encontrada"),
  "error.notFoundBody": text("This page does not exist, or it belongs to another account.", "Esta página não existe ou pertence a outra conta."),
  "error.backHome": text("Back to the start", "Voltar ao início"),
  "error.csrfTitle": text("This form cannot be sent", "Este formulário não pode ser enviado"),
  "error.csrfBody": text(
    "It expired or came from another site. Go back, reload the page and try again.",
    "Ele expirou ou veio de outro site. Volte, recarregue a página e tente de novo.",
  ),
  "error.tooManyTitle": text("Too many attempts", "Tentativas demais"),
  "error.internalTitle": text("Something went wrong", "Algo deu errado"),
  "error.internalBody": text(
    "Try again in a moment. If it keeps happening, give support this code: {requestId}",
    "Tente de novo daqui a pouco. Se continuar, informe ao suporte este código: {requestId}",
  ),
} as const;

export type MessageKey = keyof typeof MESSAGES;
