package com.example.subscriptions.workflow;

public class EmailActivitiesImpl implements EmailActivities {

    private final EmailSender sender;

    public EmailActivitiesImpl(EmailSender sender) {
        this.sender = sender;
    }

    @Override
    public String sendEmail(EmailDetails details) {
        sender.send(details);
        return "success";
    }
}
